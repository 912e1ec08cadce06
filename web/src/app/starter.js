// Starter test plans for a model with an excitation port (pure: from the compiled model's description). The
// excitation drives the first port; the measured output is a position-like state of the driven component (not the
// first state of the model, which for a valve is a tank pressure); a drive in m/s^2 on a component with a mass is
// scaled by it, so the FRF is per newton; frequencies span the component's natural frequency when it has k and m.

const POSITION = /^(x|pos|position|displacement|theta|angle|q|y|z|s)$/;
const MASS = /^(m|mass)$/;
const STIFFNESS = /^(k|stiffness)$/;

const field = (key) => key.split('.').at(-1);
const coherent = (v) => v.value * (Number.isFinite(v.scale) && v.scale !== 0 ? v.scale : 1);

/// Is this plan text one the page may replace with a starter (empty, or the "no port" note it wrote itself)?
export function isPlaceholderPlan(text) {
  return !text.trim() || /^# \S+ has no excitation port/.test(text.trim());
}

/// {entity, component, port, output, scaleBy, fStart, fEnd} for the model's first port, or null without one.
export function starterChoice(info) {
  const port = info.inputs?.[0];
  if (!port) return null;
  const [entity, component, name] = port.key.split('.');
  const prefix = `${entity}.${component}.`;
  const own = info.states.filter((s) => s.key.startsWith(prefix));
  const output = (own.find((s) => POSITION.test(field(s.key))) ?? own[0] ?? info.states[0])?.key;
  const params = info.parameters.filter((p) => p.key.startsWith(prefix));
  const mass = params.find((p) => MASS.test(field(p.key)));
  const stiffness = params.find((p) => STIFFNESS.test(field(p.key)));
  const perMass = /\/s\^2$|\/s2$/.test(port.unit ?? '');
  let fStart = 0.1;
  let fEnd = 100;
  if (mass && stiffness && coherent(mass) > 0 && coherent(stiffness) > 0) {
    const fn = Math.sqrt(coherent(stiffness) / coherent(mass)) / (2 * Math.PI);
    const decade = (v) => 10 ** Math.round(Math.log10(v));
    fStart = decade(fn / 30);
    fEnd = decade(fn * 30);
  }
  return { entity, component, port: name, output, scaleBy: perMass && mass ? mass.key : null, fStart, fEnd };
}

export function starterPlan(info, file) {
  const c = starterChoice(info);
  if (!c)
    return `# ${info.name} has no excitation port, so there is nothing to drive.\n# Add one to a component, e.g.\n#   ports:\n#     force: { targets: v, unit: m/s^2 }\n# and a starter plan appears here.\n`;
  const scale = c.scaleBy ? `, scale_by: ${c.scaleBy}` : '';
  return `# A starter plan for ${info.name}: drives ${c.entity}.${c.component}.${c.port}, measures ${c.output}.
# Edit the frequencies or the output to suit the model (Ctrl-Space completes keys).
version: 1
model: { file: ${file} }
excitation: { entity: ${c.entity}, component: ${c.component}, port: ${c.port}, output: ${c.output}, amplitude: 1${scale} }
tests:
  - name: linearized
    type: linearized_frf
    frequencies: { spacing: log, f_start: ${c.fStart}, f_end: ${c.fEnd}, n_points: 200 }
plots:
  - { type: bode, tests: [linearized], db: true }
`;
}
