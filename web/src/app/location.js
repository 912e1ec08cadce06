// The page's address (pure: URL strings in, URL strings and plain objects out; unit-tested under Node). What an
// address asks the workbench to open, the address of an embed of a link, and the address once the page shows
// something other than what its address named.
import { isShareHash } from './state.js';

/// {link: '#n=..&s=..' | null, model: NAME-or-path | null, embed: bool, sliders: [keys]} for an address.
export function readLocation(href) {
  const url = new URL(href);
  const sliders = (url.searchParams.get('sliders') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return {
    link: isShareHash(url.hash) ? url.hash : null,
    model: url.searchParams.get('model') || null,
    embed: url.searchParams.get('embed') === '1',
    sliders,
  };
}

/// The address of the embed view of a share link (for an iframe on a course page), with chosen sliders if any.
export function embedUrl(link, sliders = []) {
  const url = new URL(link);
  url.searchParams.set('embed', '1');
  if (sliders.length) url.searchParams.set('sliders', sliders.join(','));
  else url.searchParams.delete('sliders');
  return url.href;
}

/// The full workbench's address for an embed's ("Open in Numen Workbench").
export function fullUrl(href) {
  const url = new URL(href);
  url.searchParams.delete('embed');
  url.searchParams.delete('sliders');
  return url.href;
}

/// The address once the page no longer shows what a link or ?model= named: path and other parameters only.
export function withoutTarget(href) {
  const url = new URL(href);
  url.searchParams.delete('model');
  url.hash = '';
  return url.pathname + url.search;
}

/// The HTML of an iframe for a course page; the title is escaped, the address is the workbench's own.
export function iframeSnippet(src, title) {
  const escape = (t) => String(t).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${escape(src)}" width="600" height="400" style="border:1px solid #ccc" title="${escape(title)}" loading="lazy"></iframe>`;
}
