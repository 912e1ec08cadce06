// The workbench page: compile the default model in the core worker, solve it there, plot the result.
import { CoreWorker } from './core/client.js';
import { defaultModelName, findModel } from './models.js';
import { plotTimeSeries } from './plot.js';

const plot = document.getElementById('plot');
const status = document.getElementById('status');

function showError(error) {
  status.classList.add('error');
  const where = error.diagnostics?.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n');
  status.textContent = where || error.message;
  document.body.dataset.state = 'error';
}

async function start() {
  const core = new CoreWorker();
  const model = findModel(defaultModelName);
  document.getElementById('model-name').textContent = model.name;
  const compiled = await core.call('compile', { text: model.text, file: model.file });
  const solution = await core.call('solve', { model: compiled.model });
  await plotTimeSeries(plot, compiled.info, solution);
  performance.mark('numen:first-plot');
  const s = solution.info.stats;
  status.textContent =
    `${solution.info.method}: ${solution.info.points} points, ${s.accepted_steps} steps ` +
    `(${s.rejected_steps} rejected), ${s.rhs_evals} f evaluations, ${s.wall_ms.toFixed(2)} ms in the core`;
  document.body.dataset.state = 'ready';
}

start().catch(showError);
