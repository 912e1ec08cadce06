// The gallery's previews (web/src/ui/sparkline.js) from the real core: every model in models/ solves on the preview's
// coarse grid and gives finite curves of what it shows first (its phase portrait if it declares one); and the path
// scaling itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { loadCore, readModel } from './load.mjs';
import { previewPaths, sparkPath } from '../../web/src/ui/sparkline.js';

const M = await loadCore();

test('a path fills its box: the lowest value at the bottom, the highest at the top; a gap breaks the line', () => {
  assert.equal(sparkPath([0, 1, 2], [0, 1, 0], { width: 10, height: 10, pad: 0 }), 'M0.0 10.0L5.0 0.0L10.0 10.0');
  assert.equal(sparkPath([0, 1, 2, 3], [0, NaN, 1, 2], { width: 3, height: 2, pad: 0 }), 'M0.0 2.0M2.0 1.0L3.0 0.0');
  // A constant is a line across the middle, not a division by zero.
  assert.equal(sparkPath([0, 1], [5, 5], { width: 4, height: 4, pad: 0 }), 'M0.0 2.0L4.0 2.0');
});

test('every model solves to a preview of finite curves', () => {
  const names = fs
    .readdirSync(new URL('../../models', import.meta.url))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''));
  assert.ok(names.length >= 19);
  for (const name of names) {
    const model = M.compileModel(readModel(name), `${name}.yaml`);
    try {
      const info = JSON.parse(model.info());
      const solution = M.solve(model, JSON.stringify({ n_save_points: 200 }), '{}');
      try {
        const s = { t: solution.t(), x: solution.x(), y: solution.y(), info: JSON.parse(solution.info()) };
        assert.ok(['success', 'terminated'].includes(s.info.status), `${name}: ${s.info.status}`);
        const preview = previewPaths(info, s);
        assert.ok(preview.paths.length >= 1 && preview.paths.length <= 3, name);
        for (const p of preview.paths) {
          assert.doesNotMatch(p.d, /NaN|Infinity/, name);
          assert.ok((p.d.match(/[ML]/g) ?? []).length >= 100, `${name}: ${p.key} has its points`);
        }
        if (info.plots?.phase?.length) assert.equal(preview.kind, 'phase', name);
      } finally {
        solution.delete();
      }
    } finally {
      model.delete();
    }
  }
});
