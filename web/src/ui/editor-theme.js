// The editors in the page's theme: CodeMirror's chrome (background, gutters, cursor, selection, panels, tooltips)
// and a syntax highlighting readable on dark; and the editable text marked focusable for accessibility checkers. Added to an existing editor view through a compartment of its own,
// so the editor module itself needs no change.
import { Compartment, StateEffect } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

const darkChrome = EditorView.theme(
  {
    '&': { color: '#e6e9ec', backgroundColor: '#1b1f24' },
    '.cm-content': { caretColor: '#e6e9ec' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#e6e9ec' },
    '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection':
      { backgroundColor: '#2f4a6d' },
    '.cm-activeLine': { backgroundColor: '#232a32' },
    '.cm-activeLineGutter': { backgroundColor: '#232a32' },
    '.cm-gutters': { backgroundColor: '#161a1e', color: '#8d97a1', borderRight: '1px solid #3a424b' },
    '.cm-tooltip': { backgroundColor: '#262c33', color: '#e6e9ec', border: '1px solid #3a424b' },
    '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: '#2f4a6d', color: '#fff' },
    '.cm-panels': { backgroundColor: '#161a1e', color: '#e6e9ec' },
    '.cm-searchMatch': { backgroundColor: '#4b3f16' },
    '.cm-matchingBracket': { backgroundColor: '#2d4a3a' },
  },
  { dark: true },
);

// Colours with at least 4.5:1 contrast on the dark background.
const darkHighlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.controlKeyword], color: '#d2a8ff' },
  { tag: [t.propertyName, t.definition(t.propertyName)], color: '#79c0ff' },
  { tag: [t.string, t.special(t.string)], color: '#a5d6a7' },
  { tag: [t.number, t.bool, t.null, t.atom], color: '#ffab70' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: '#9aa5b1', fontStyle: 'italic' },
  { tag: [t.meta, t.labelName, t.typeName], color: '#f2cc60' },
  { tag: [t.punctuation, t.separator, t.bracket], color: '#c9d1d9' },
  { tag: t.invalid, color: '#ff7b72' },
]);

const compartments = new WeakMap();

// The editable text says it is focusable (it is, as contenteditable), so checkers such as axe see that its scrolling
// region can be reached from the keyboard. It changes no tab order.
const focusable = EditorView.contentAttributes.of({ tabindex: '0' });

function extensions(theme) {
  // light: the editor's own default highlighting
  return theme === 'dark' ? [focusable, darkChrome, syntaxHighlighting(darkHighlight)] : [focusable];
}

/// Puts an editor view in `theme` ('light' | 'dark').
export function applyEditorTheme(view, theme) {
  let compartment = compartments.get(view);
  if (!compartment) {
    compartment = new Compartment();
    compartments.set(view, compartment);
    view.dispatch({ effects: StateEffect.appendConfig.of(compartment.of(extensions(theme))) });
    return;
  }
  view.dispatch({ effects: compartment.reconfigure(extensions(theme)) });
}
