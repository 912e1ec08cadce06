// Share links (web/src/app/state.js): a link cut short, altered, or from another version is told apart, in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeShare, encodeShare, isShareHash } from '../../web/src/app/state.js';

const state = {
  v: 1,
  model: { name: 'lorenz', file: 'lorenz.yaml', text: 'model: lorenz\n'.repeat(40) },
  overrides: { a: 1 },
};

test('a link round-trips, and its hash is recognised', async () => {
  const hash = await encodeShare(state);
  assert.match(hash, /^#n=\d+&h=[0-9a-f]{8}&s=[\w-]+$/);
  assert.equal(isShareHash(hash), true);
  assert.deepEqual(await decodeShare(hash), state);
  assert.equal(await decodeShare('#top'), null);
});

test('cut short, altered, other version: each its own error', async () => {
  const hash = await encodeShare(state);
  const data = hash.split('&s=')[1];
  await assert.rejects(
    decodeShare(hash.slice(0, hash.length - 10)),
    (e) => e.kind === 'truncated' && /holds \d+ of its \d+ characters/.test(e.message),
  );
  // Every single-character change in the data is caught (deflate alone would decode some of them).
  for (let i = 0; i < data.length; i += 7) {
    const altered = data.slice(0, i) + (data[i] === 'A' ? 'B' : 'A') + data.slice(i + 1);
    await assert.rejects(decodeShare(hash.replace(data, altered)), (e) => e.kind === 'corrupted', `change at ${i}`);
  }
  const newer = await encodeShare({ ...state, v: 2 });
  await assert.rejects(decodeShare(newer), (e) => e.kind === 'version' && /newer version/.test(e.message));
});
