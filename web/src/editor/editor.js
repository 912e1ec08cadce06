// A YAML editor (CodeMirror 6) with completion from a JSON Schema and of unit names from the core's unit table,
// inline diagnostics from the core (schema and compile errors at their line and column, unit errors over their
// span), and change notification for autosave and re-runs.
import { Compartment, EditorState, Prec } from '@codemirror/state';
import {
  EditorView,
  crosshairCursor,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  bracketMatching,
  defaultHighlightStyle,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { yaml } from '@codemirror/lang-yaml';
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
  snippetCompletion,
} from '@codemirror/autocomplete';
import { linter, lintGutter, lintKeymap, setDiagnostics, forceLinting } from '@codemirror/lint';
import { schemaCompletion } from './schema-complete.js';
import { unitCompletion } from './unit-complete.js';
import { equationCompletion } from './equation-complete.js';

/// The offset in `text` (one line) of a core column: 1-based, counting UTF-8 bytes as the core does ("µ" is two).
function columnOffset(text, column) {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < column - 1) {
    const code = text.codePointAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    i += code >= 0x10000 ? 2 : 1;
  }
  return i;
}

/// Core diagnostics ({line, column, end_line, end_column, severity, message}) -> CodeMirror diagnostics, for this
/// document only. A diagnostic with an end (end_line > 0; end_column one past the offending text, as for a unit
/// error in an equation) marks exactly that span; one without marks the word at its column.
export function toEditorDiagnostics(doc, diagnostics, file) {
  const clampLine = (n) => doc.line(Math.min(Math.max(n || 1, 1), doc.lines));
  return diagnostics
    .filter((d) => !file || !d.file || d.file === file || d.file.endsWith(`/${file}`) || file.endsWith(`/${d.file}`))
    .map((d) => {
      const line = clampLine(d.line);
      const from = line.from + columnOffset(line.text, Math.max(d.column || 1, 1));
      let to = -1;
      if (d.end_line > 0 && d.end_column > 0 && d.end_line >= line.number && d.end_line <= doc.lines) {
        const end = doc.line(d.end_line);
        to = end.from + columnOffset(end.text, d.end_column);
      }
      if (!(to > from)) {
        const word = /^[^\s,:{}[\]]+/.exec(doc.sliceString(from, line.to));
        to = word ? from + word[0].length : Math.min(from + 1, line.to);
      }
      return {
        from,
        to: Math.max(to, from),
        severity: d.severity === 'warning' ? 'warning' : 'error',
        message: d.message,
      };
    });
}

/// Inside an equation, slots, fields and functions (and nothing else); where a unit is being typed, unit names;
/// anywhere else, what the schema allows.
function completion({ schema, dynamicValues, units, functions }) {
  const equationSource = functions
    ? equationCompletion(functions, ({ template, ...o }) => snippetCompletion(template, o))
    : () => null;
  const unitSource = unitCompletion(units);
  const schemaSource = schemaCompletion(schema, dynamicValues);
  return (context) => {
    const inEquation = equationSource(context);
    if (inEquation !== null) return inEquation || null;
    return unitSource(context) ?? schemaSource(context);
  };
}

export class YamlEditor {
  /// options: {doc, schema, dynamicValues, units() -> the core's unit table or null, functions() -> the core's
  ///           function table or null (completion inside equations; model editors only), check(text) -> Promise<diagnostics>,
  ///           file() -> name, onChange(text, {replaced}), onRun() on Ctrl+Enter / Cmd+Enter}
  constructor(parent, options) {
    this.options = options;
    this.replacing = false; // true while setText() dispatches (see onChange)
    const self = this;
    this.tabKeys = new Compartment();
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: options.doc ?? '',
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightSpecialChars(),
          history(),
          foldGutter(),
          drawSelection(),
          dropCursor(),
          indentOnInput(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          bracketMatching(),
          closeBrackets(),
          rectangularSelection(),
          crosshairCursor(),
          highlightActiveLine(),
          highlightSelectionMatches(),
          keymap.of([
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...searchKeymap,
            ...historyKeymap,
            ...foldKeymap,
            ...completionKeymap,
            ...lintKeymap,
          ]),
          // Tab is the page's: it moves focus out of the editor, so a keyboard user is never trapped and never
          // indents the model by accident. Ctrl+] / Ctrl+[ indent (defaultKeymap); tabIndents(true) opts in.
          this.tabKeys.of([]),
          Prec.highest(
            keymap.of([
              { key: 'Mod-Enter', run: () => (self.options.onRun?.(), true) },
              { key: 'Shift-Mod-Enter', run: () => (self.options.onRun?.(), true) },
            ]),
          ),
          yaml(),
          EditorState.tabSize.of(2),
          autocompletion({ override: [completion(options)], activateOnTyping: true }),
          lintGutter(),
          linter(
            async (view) => {
              if (!self.options.check) return [];
              const text = view.state.doc.toString();
              try {
                const diagnostics = await self.options.check(text);
                if (view.state.doc.toString() !== text) return [];
                return toEditorDiagnostics(view.state.doc, diagnostics, self.options.file?.());
              } catch {
                return [];
              }
            },
            { delay: 350 },
          ),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) self.options.onChange?.(update.state.doc.toString(), { replaced: self.replacing });
          }),
          EditorView.contentAttributes.of({ 'aria-label': options.label ?? 'YAML editor', spellcheck: 'false' }),
        ],
      }),
    });
  }

  /// Lets Tab and Shift-Tab indent inside the editor (off by default; Escape then Tab still leaves it).
  tabIndents(on) {
    this.view.dispatch({ effects: this.tabKeys.reconfigure(on ? keymap.of([indentWithTab]) : []) });
  }

  get text() {
    return this.view.state.doc.toString();
  }

  /// Replaces the whole text (a gallery pick, a shared link) as one undoable change.
  /// onChange hears it with { replaced: true }: the caller that replaced the text runs what follows itself.
  setText(text) {
    if (text === this.text) return;
    this.replacing = true;
    try {
      this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
    } finally {
      this.replacing = false;
    }
  }

  /// Shows diagnostics now (a run's compile errors), until the next lint pass replaces them.
  showDiagnostics(diagnostics) {
    this.view.dispatch(
      setDiagnostics(this.view.state, toEditorDiagnostics(this.view.state.doc, diagnostics, this.options.file?.())),
    );
  }

  relint() {
    forceLinting(this.view);
  }

  focusLine(line) {
    const l = this.view.state.doc.line(Math.min(Math.max(line, 1), this.view.state.doc.lines));
    this.view.dispatch({ selection: { anchor: l.from }, scrollIntoView: true });
    this.view.focus();
  }
}
