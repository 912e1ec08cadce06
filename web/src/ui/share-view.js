// @ts-check
// The Share dialog: the page's state as a link (in the address, so it can be bookmarked, and in the dialog to copy
// by hand), an iframe snippet of its embed view for a course page, and honest word of what the clipboard did. The
// editors' texts go into the state through the store's actions before the link is made.
import { encodeShare } from '../app/state.js';
import { digest } from '../app/works.js';
import { embedUrl, iframeSnippet } from '../app/location.js';

const $ = (id) => document.getElementById(id);

/**
 * @param {object} ctx
 * @param {import('../app/store.js').Store} ctx.store
 * @param {{model: {text: string}, plan: {text: string}}} ctx.editors
 * @param {import('../app/works.js').WorkStore} ctx.works  the user's saves: the one shown records its link
 * @param {() => string | null} ctx.workId                the save shown
 * @param {() => Promise<string>} ctx.standardLibraryVersion
 * @param {(text: string, kind?: string) => void} ctx.setStatus
 */
export function createShareView({ store, editors, works, workId, standardLibraryVersion, setStatus }) {
  /// Share: the link in the address (bookmarkable) and in a dialog to copy by hand, the clipboard tried and its answer
  /// reported as it is.
  async function share() {
    store.dispatch('setModelText', editors.model.text);
    store.dispatch('setPlanText', editors.plan.text);
    let hash;
    try {
      // The link carries the user's files; the standard library comes from the app, so the link names its version.
      hash = await encodeShare({ ...store.state, stdlib: await standardLibraryVersion() });
    } catch (e) {
      setStatus(e.message, 'error');
      return;
    }
    const url = `${location.origin}${location.pathname}${hash}`;
    history.replaceState(null, '', hash);
    works.setLink(workId(), digest(hash));
    $('share').dataset.url = url;
    $('share-link').value = url;
    $('share-embed').value = embedSnippet(url);
    $('share-dialog').showModal();
    $('share-link').focus();
    $('share-link').select();
    await copyText(url, 'Link copied to the clipboard: it restores this model, plan and view');
  }

  /// An iframe for a course page: the embed view (plot and sliders, no editor) of this link.
  function embedSnippet(url) {
    return iframeSnippet(embedUrl(url), `${store.state.model.name} (Numen Workbench)`);
  }

  async function copyText(text, done) {
    const status = $('share-status');
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      status.textContent = done;
      status.className = 'status ok';
      setStatus(done, 'ok');
    } catch {
      status.textContent =
        'The browser did not let the page copy: the text is selected above, copy it with Ctrl+C (Cmd+C).';
      status.className = 'status warn';
      setStatus('Link made; copy it from the Share dialog (the browser refused the clipboard)', 'warn');
    }
  }

  $('share').addEventListener('click', share);
  $('share-copy').addEventListener('click', () => {
    $('share-link').select();
    copyText($('share-link').value, 'Link copied to the clipboard');
  });
  $('share-copy-embed').addEventListener('click', () => {
    $('share-embed').select();
    copyText($('share-embed').value, 'Embed code copied to the clipboard: paste it into the course page');
  });
  $('share-dialog')
    .querySelector('.close')
    .addEventListener('click', () => $('share-dialog').close());

  return { share };
}
