// An editor that loads after the first plot: CodeMirror, the YAML language, completion and the JSON Schemas are a
// third of the page's code and nothing the first plot needs. Until they arrive the model's text is shown as it is
// (read-only), and this object answers for the editor: text, setText, diagnostics, focus and Tab mode are kept
// and handed to the real editor (editor/editor.js, YamlEditor) when it is made. Touching the placeholder loads it at
// once.
import './lazy-editor.css';

export class LazyEditor {
  /// parent: the editor's element; options: YamlEditor's, with `schema` a function resolving to the JSON Schema;
  /// load: () => Promise<the editor module>.
  constructor(parent, options, load) {
    this.parent = parent;
    this.options = options;
    this.loader = load;
    this.editor = null;
    this.pendingText = options.doc ?? '';
    this.pendingDiagnostics = null;
    this.pendingTabIndents = null;
    this.pendingFocusLine = null;
    this.placeholder = document.createElement('pre');
    this.placeholder.className = 'editor-placeholder';
    this.placeholder.setAttribute('aria-label', `${options.label ?? 'editor'} (loading)`);
    this.placeholder.tabIndex = 0;
    this.placeholder.textContent = this.pendingText;
    for (const event of ['pointerdown', 'focus', 'keydown'])
      this.placeholder.addEventListener(event, () => this.load(true), { once: true });
    parent.append(this.placeholder);
    let resolve;
    this.ready = new Promise((r) => (resolve = r));
    this.resolveReady = resolve;
    this.loading = null;
  }

  /// Makes the real editor (once); resolves when it is on the page.
  load(focus = false) {
    if (!this.loading)
      this.loading = (async () => {
        const [{ YamlEditor }, schema] = await Promise.all([this.loader(), this.options.schema()]);
        const hadFocus = focus || document.activeElement === this.placeholder;
        this.placeholder.remove();
        this.editor = new YamlEditor(this.parent, { ...this.options, schema, doc: this.pendingText });
        if (this.pendingTabIndents !== null) this.editor.tabIndents(this.pendingTabIndents);
        if (this.pendingDiagnostics) this.editor.showDiagnostics(this.pendingDiagnostics);
        if (this.pendingFocusLine !== null) this.editor.focusLine(this.pendingFocusLine);
        else if (hadFocus) this.editor.view.focus();
        this.resolveReady(this);
      })();
    return this.loading;
  }

  get view() {
    return this.editor?.view ?? null;
  }

  get text() {
    return this.editor ? this.editor.text : this.pendingText;
  }

  setText(text) {
    if (this.editor) return this.editor.setText(text);
    this.pendingText = text;
    this.placeholder.textContent = text;
    this.pendingDiagnostics = null;
  }

  showDiagnostics(diagnostics) {
    if (this.editor) return this.editor.showDiagnostics(diagnostics);
    this.pendingDiagnostics = diagnostics;
  }

  tabIndents(on) {
    if (this.editor) return this.editor.tabIndents(on);
    this.pendingTabIndents = on;
  }

  relint() {
    this.editor?.relint();
  }

  focusLine(line) {
    if (this.editor) return this.editor.focusLine(line);
    this.pendingFocusLine = line;
    this.load(true);
  }
}
