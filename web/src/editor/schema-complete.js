// Completion from a JSON Schema (the same schemas/*.schema.json files the core validates with): keys that fit where
// the cursor is (for a plan's test, the keys of its `type`), enum values, booleans, and values the page knows from
// the compiled model (parameter keys, states, ports, test names) through `dynamicValues`.
import { yamlContext } from './yaml-context.js';

export function schemaNavigator(schema) {
  const lookup = (ref) => {
    const name = ref.replace(/^#\/\$defs\//, '');
    return { node: schema.$defs?.[name], name };
  };
  const resolve = (s) => {
    let refName = null;
    for (let guard = 0; s?.$ref && guard < 20; ++guard) {
      const { node, name } = lookup(s.$ref);
      refName = refName ?? name;
      s = node ? { ...node, description: s.description ?? node.description } : null;
    }
    return { node: s, refName };
  };
  const conditionHolds = (condition, values) =>
    (condition.required ?? []).every((k) => values[k] != null) &&
    Object.entries(condition.properties ?? {}).every(([k, c]) => c.const === undefined || values[k] === c.const);

  /// Merged view of a schema for a mapping with these scalar values: properties, additionalProperties, enums.
  function effective(input, values = {}) {
    const { node, refName } = resolve(input);
    if (!node) return null;
    const out = {
      refName,
      description: node.description,
      type: node.type,
      properties: { ...(node.properties ?? {}) },
      additional: node.additionalProperties,
      propertyNames: node.propertyNames,
      items: node.items,
      enum: [...(node.enum ?? []), ...(node.const !== undefined ? [node.const] : [])],
      branches: [],
    };
    const merge = (part) => {
      if (!part) return;
      Object.assign(out.properties, part.properties);
      if (part.additional !== undefined && out.additional === undefined) out.additional = part.additional;
      out.items = out.items ?? part.items;
      out.enum.push(...part.enum);
      out.type = out.type ?? part.type;
      out.propertyNames = out.propertyNames ?? part.propertyNames;
    };
    for (const part of node.allOf ?? []) {
      if (part.if) {
        if (conditionHolds(part.if, values)) merge(effective(part.then, values));
      } else merge(effective(part, values));
    }
    for (const branch of node.anyOf ?? []) {
      const e = effective(branch, values);
      if (e) {
        out.branches.push(e);
        merge(e);
      }
    }
    return out;
  }

  /// The schema at a path of {segment, values} frames (see yaml-context.js), or null where the schema has none.
  function at(path) {
    let current = schema;
    for (const { segment, values } of path) {
      const e = effective(current, values);
      if (!e) return null;
      if (typeof segment === 'number') current = e.items ?? e.branches.find((b) => b.items)?.items;
      else current = e.properties[segment] ?? (typeof e.additional === 'object' ? e.additional : undefined);
      if (!current) return null;
    }
    return current;
  }

  return { effective, at };
}

const typeLabel = (s) => {
  const r = s?.type ?? (s?.$ref ? 'object' : s?.anyOf ? 'choice' : '');
  return Array.isArray(r) ? r.join(' | ') : r;
};

/// A CodeMirror completion source. dynamicValues({key, refName, kind, doc}) returns extra options (strings or
/// {label, detail}) for a value (kind 'value') or for keys of a free-form map (kind 'key').
export function schemaCompletion(schema, dynamicValues = () => []) {
  const nav = schemaNavigator(schema);
  return (context) => {
    const doc = context.state.doc.toString();
    let ctx = yamlContext(doc, context.pos);
    if (!ctx) return null;
    if (!context.explicit && ctx.word === '') return null; // typing pops the list up; Ctrl-Space always does
    let options = [];
    const lastKey = () => [...ctx.path].reverse().find((f) => typeof f.segment === 'string')?.segment ?? '';
    if (ctx.kind === 'key') {
      const e = nav.effective(nav.at(ctx.path), ctx.mapping);
      const props = e ? Object.entries(e.properties) : [];
      if (props.length > 0) {
        options = props
          .filter(([k]) => !(k in ctx.mapping) || k === ctx.word)
          .map(([k, s]) => {
            const d = nav.effective(s, {});
            return { label: k, type: 'property', detail: typeLabel(d), info: d?.description, apply: `${k}: ` };
          });
      } else if (e && (e.additional || e.propertyNames)) {
        options = dynamicValues({
          key: lastKey(),
          refName: nav.effective(e.propertyNames ?? {})?.refName,
          kind: 'key',
          doc,
        }).map((o) =>
          typeof o === 'string'
            ? { label: o, type: 'variable', apply: `${o}: ` }
            : { type: 'variable', apply: `${o.label}: `, ...o },
        );
      } else {
        // A list of scalars (`- value`): complete values instead.
        ctx = yamlContext(doc, context.pos, { mode: 'value' });
        if (!ctx) return null;
      }
    }
    if (ctx.kind === 'value') {
      const node = nav.at(ctx.path);
      const e = nav.effective(node, {});
      const key = lastKey();
      const values = [];
      for (const v of e?.enum ?? []) values.push({ label: String(v), type: 'enum', info: e.description });
      if (e?.type === 'boolean') values.push({ label: 'true', type: 'keyword' }, { label: 'false', type: 'keyword' });
      for (const o of dynamicValues({ key, refName: e?.refName, kind: 'value', doc }))
        values.push(typeof o === 'string' ? { label: o, type: 'variable' } : { type: 'variable', ...o });
      options = values;
    }
    if (options.length === 0) return null;
    return { from: ctx.from, options, validFor: /^[A-Za-z0-9_.\-$]*$/ };
  };
}
