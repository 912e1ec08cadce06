// The page's address (web/src/app/location.js): what it opens, embeds, and what remains once the page moves on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { embedUrl, fullUrl, iframeSnippet, readLocation, withoutTarget } from '../../web/src/app/location.js';

const site = 'http://127.0.0.1:4174/';

test('an address names a link, a model, an embed and its sliders', () => {
  assert.deepEqual(readLocation(`${site}?embed=1&sliders=a.b.k,%20a.b.m#n=4&s=abcd`), {
    link: '#n=4&s=abcd',
    model: null,
    embed: true,
    sliders: ['a.b.k', 'a.b.m'],
  });
  assert.deepEqual(readLocation(`${site}?model=pendulum`), {
    link: null,
    model: 'pendulum',
    embed: false,
    sliders: [],
  });
  assert.equal(readLocation(`${site}#s=abcd`).link, '#s=abcd'); // links of earlier versions
  assert.equal(readLocation(`${site}#top`).link, null);
});

test('embed and full addresses keep the link', () => {
  const link = `${site}#n=4&s=abcd`;
  assert.equal(embedUrl(link), `${site}?embed=1#n=4&s=abcd`);
  assert.equal(embedUrl(link, ['a.b.k']), `${site}?embed=1&sliders=a.b.k#n=4&s=abcd`);
  assert.equal(fullUrl(embedUrl(link, ['a.b.k'])), link);
  assert.equal(withoutTarget(`${site}?model=lorenz&x=1#n=4&s=abcd`), '/?x=1');
});

test('the iframe snippet escapes the title', () => {
  assert.equal(
    iframeSnippet(`${site}?embed=1`, 'a "quoted" <b>'),
    `<iframe src="${site}?embed=1" width="600" height="400" style="border:1px solid #ccc" title="a &quot;quoted&quot; &lt;b>" loading="lazy"></iframe>`,
  );
});
