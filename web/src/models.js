// The gallery: models/*.yaml and models/plans/*.plan.yaml bundled as text, ordered and tagged by
// models/gallery.json. A model's title (`title:`, for people) and description come from its own file (one source of
// truth; the core's schema knows both keys).
import gallery from '@models/gallery.json';

const modelSources = import.meta.glob('../../models/*.yaml', { query: '?raw', import: 'default', eager: true });
const planSources = import.meta.glob('../../models/plans/*.yaml', { query: '?raw', import: 'default', eager: true });

const fileName = (path) => path.split('/').pop();

/// A top-level one-line key of a model file (`title:`, `description:`), plain or quoted, as written.
function topLevel(text, key) {
  const match = new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(text);
  return (match?.[1] ?? '').trim().replace(/^["']|["']$/g, '');
}

const byFile = new Map(Object.entries(modelSources).map(([path, text]) => [fileName(path), text]));

export const plans = new Map(Object.entries(planSources).map(([path, text]) => [`plans/${fileName(path)}`, text]));

export const groups = gallery.groups.map((group) => ({
  name: group.name,
  models: group.models
    .filter((entry) => byFile.has(entry.file))
    .map((entry) => {
      const text = byFile.get(entry.file);
      return {
        file: entry.file,
        name: entry.file.replace(/\.yaml$/, ''),
        text,
        title: topLevel(text, 'title') || entry.file.replace(/\.yaml$/, '').replace(/_/g, ' '),
        description: topLevel(text, 'description'),
        tags: entry.tags ?? [],
        plan: entry.plan ?? null,
      };
    }),
}));

export const models = groups.flatMap((g) => g.models);

export const defaultModelName = gallery.default;

export function findModel(name) {
  return models.find((m) => m.name === name || m.file === name);
}

/// Every file a plan might name (models by file name, plans by their path under models/), for the core's loader.
export function planFiles(extra = {}) {
  const files = {};
  for (const [file, text] of byFile) files[file] = text;
  for (const [path, text] of plans) files[path] = text;
  return Object.assign(files, extra);
}

export function planFor(model) {
  return model?.plan ? (plans.get(model.plan) ?? null) : null;
}
