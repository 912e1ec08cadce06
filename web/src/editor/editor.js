// A YAML editor (CodeMirror 6) with completion from a JSON Schema, inline diagnostics from the core (schema and
// compile errors at their line and column), and change notification for autosave and re-runs.
import { EditorState } from '@codemirror/state';
import {
  EditorView, crosshairCursor, drawSelection, dropCursor, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, keymap, lineNumbers, rectangularSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  bracketMatching, defaultHighlightStyle, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting,
} from '@codemirror/language';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { yaml } from '@codemirror/lang-yaml';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { linter, lintGutter, lintKeymap, setDiagnostics, forceLinting } from '@codemirror/lint';
import { schemaCompletion } from './schema-complete.js';

/// Core diagnostics ({line, column, severity, message}) -> CodeMirror diagnostics, for this document only.
export function toEditorDiagnostics(doc, diagnostics, file) {
  return diagnostics
    .filter((d) => !file || !d.file || d.file === file || d.file.endsWith(`/${file}`) || file.endsWith(`/${d.file}`))
    .map((d) => {
      const lineNumber = Math.min(Math.max(d.line || 1, 1), doc.lines);
      const line = doc.line(lineNumber);
      const from = Math.min(line.from + Math.max((d.column || 1) - 1, 0), line.to);
      const word = /^[^\s,:{}[\]]+/.exec(doc.sliceString(from, line.to));
      const to = word ? from + word[0].length : Math.min(from + 1, line.to);
      return { from, to: Math.max(to, from), severity: d.severity === 'warning' ? 'warning' : 'error', message: d.message };
    });
}

export class YamlEditor {
  /// options: {doc, schema, dynamicValues, check(text) -> Promise<diagnostics>, file() -> name,
  ///           onChange(text, {replaced})}
  constructor(parent, options) {
    this.options = options;
    this.replacing = false; // true while setText() dispatches (see onChange)
    const self = this;
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
            ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap,
            ...completionKeymap, ...lintKeymap, indentWithTab,
          ]),
          yaml(),
          EditorState.tabSize.of(2),
          autocompletion({ override: [schemaCompletion(options.schema, options.dynamicValues)], activateOnTyping: true }),
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
    this.view.dispatch(setDiagnostics(this.view.state, toEditorDiagnostics(this.view.state.doc, diagnostics, this.options.file?.())));
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
