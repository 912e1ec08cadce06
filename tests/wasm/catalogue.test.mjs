// The bad-model catalogue (tests/bad_models/) through the wasm core's checkModel, the path the editor lints with:
// every file's first error is where and what its `# expect [FILE:]LINE:COL text` line says, as natively
// (tests/models/bad_models_test.cpp reads the same files). Library files (lib/) come in the files object, as the
// workbench passes the user's files. Unit mistakes also carry the span of the offending term.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCore } from './load.mjs';

const M = await loadCore();
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bad_models');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const libraries = Object.fromEntries(
  fs.readdirSync(path.join(dir, 'lib')).map((f) => [`lib/${f}`, fs.readFileSync(path.join(dir, 'lib', f), 'utf8')]),
);

test('the catalogue is there', () => assert.ok(files.length >= 80, `${files.length} bad models`));

for (const file of files) {
  test(`${file}: the wasm core reports it where the catalogue says`, () => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const [, where, line, column, message] = text.split('\n')[0].match(/^# expect (?:(\S+\.ya?ml):)?(\d+):(\d+) (.+)$/);
    const errors = JSON.parse(M.checkModel(text, file, libraries)).filter((d) => d.severity === 'error');
    assert.ok(errors.length > 0, 'no error');
    assert.equal(errors[0].file, where ?? file);
    assert.deepEqual([errors[0].line, errors[0].column], [Number(line), Number(column)], errors[0].message);
    assert.ok(errors[0].message.includes(message), errors[0].message);
    if (file.includes('_unit_') && errors[0].end_line > 0) {
      // A span that starts where the error does and ends after it.
      assert.ok(
        errors[0].end_line > errors[0].line || errors[0].end_column > errors[0].column,
        JSON.stringify(errors[0]),
      );
    }
  });
}
