// The gallery is the models/ folder itself: every *.yaml there is bundled, nothing is listed twice.
const sources = import.meta.glob('../../models/*.yaml', { query: '?raw', import: 'default', eager: true });

export const models = Object.entries(sources)
  .map(([path, text]) => {
    const file = path.split('/').pop();
    const description = /^description:\s*(.*)$/m.exec(text)?.[1]?.trim() ?? '';
    return { file, name: file.replace(/\.yaml$/, ''), text, description };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

export const defaultModelName = 'oscillator';

export function findModel(name) {
  return models.find((m) => m.name === name);
}
