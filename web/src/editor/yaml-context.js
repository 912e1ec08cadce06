// Where the cursor is in a YAML document, structurally: the chain of keys and list indices from the root to what is
// being edited, the scalar values of every mapping on the way (a test's `type` decides its keys), and whether a key
// or a value is being typed. The text is parsed with the partial word replaced by a placeholder (`__cursor__: 0`
// for a key, `__cursor__` for a value), so half-typed lines, flow mappings and blank lines all resolve alike.
import { parser } from '@lezer/yaml';

const PLACEHOLDER = '__cursor__';

function nodeText(text, node) {
  return text.slice(node.from, node.to);
}

function unquote(s) {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  return t;
}

/// Keys and scalar values (null for nested structures) of a mapping node's pairs.
function mappingValues(text, mapping) {
  const values = {};
  for (let child = mapping.firstChild; child; child = child.nextSibling) {
    if (child.name !== 'Pair') continue;
    const key = child.getChild('Key');
    if (!key) continue;
    let value = null;
    for (let v = key.nextSibling; v; v = v.nextSibling)
      if (v.name === 'Literal' || v.name === 'QuotedLiteral') value = unquote(nodeText(text, v));
    values[unquote(nodeText(text, key))] = value;
  }
  return values;
}

function findPlaceholder(tree, text, at) {
  let found = null;
  tree.iterate({
    from: at,
    to: at + PLACEHOLDER.length,
    enter: (node) => {
      if (found) return false;
      if ((node.name === 'Literal' || node.name === 'Key') && nodeText(text, node).startsWith(PLACEHOLDER)) {
        found = node.node;
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/// Typing position: `value` after `key:` or inside a flow list; `key` otherwise. A `- word` line is a key if the
/// list holds mappings and a value if it holds scalars: callers retry with {mode: 'value'} when keys make no sense.
export function typingMode(doc, pos) {
  const lineStart = doc.lastIndexOf('\n', pos - 1) + 1;
  const head = doc.slice(lineStart, pos).replace(/[A-Za-z0-9_.\-$]*$/, '');
  if (/:\s*$/.test(head) || /\[\s*$/.test(head) || /\[[^\]]*,\s*$/.test(head)) return 'value';
  return 'key';
}

/// {kind, word, from, path, mapping} or null when the cursor is in no structure (a comment, a bad line).
///   path: [{segment, values}] from the root to the edited mapping (key mode) or to the edited value (value mode);
///         segment is a key or a list index; values are the scalars of the mapping holding the segment.
///   mapping: the scalars of the mapping being edited (key mode), without the placeholder.
export function yamlContext(doc, pos, { mode = typingMode(doc, pos) } = {}) {
  const word = /[A-Za-z0-9_.\-$]*$/.exec(doc.slice(Math.max(0, pos - 200), pos))[0];
  const from = pos - word.length;
  const rest = doc.slice(pos).replace(/^[A-Za-z0-9_.\-$]*/, '');
  const text = doc.slice(0, from) + (mode === 'value' ? PLACEHOLDER : `${PLACEHOLDER}: 0`) + rest;
  const leaf = findPlaceholder(parser.parse(text), text, from);
  if (!leaf) return null;

  const path = [];
  let mapping = {};
  let node = mode === 'key' ? leaf.parent : leaf; // key mode: start from the placeholder's Pair
  if (mode === 'key') {
    if (!node || node.name !== 'Pair' || !node.parent) return null;
    mapping = mappingValues(text, node.parent);
    delete mapping[PLACEHOLDER];
    node = node.parent;
  }
  for (; node && node.parent; node = node.parent) {
    const parent = node.parent;
    if (node.name === 'Pair' && (parent.name === 'BlockMapping' || parent.name === 'FlowMapping')) {
      const key = node.getChild('Key');
      const values = mappingValues(text, parent);
      delete values[PLACEHOLDER];
      path.unshift({ segment: key ? unquote(nodeText(text, key)) : '', values });
    } else if (node.name === 'Item' && (parent.name === 'BlockSequence' || parent.name === 'FlowSequence')) {
      let index = 0;
      for (let s = node.prevSibling; s; s = s.prevSibling) if (s.name === 'Item') index += 1;
      path.unshift({ segment: index, values: {} });
    }
  }
  return { kind: mode, word, from, path, mapping };
}
