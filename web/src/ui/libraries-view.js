// @ts-check
// The Libraries tab beside the editors: the files of the standard libraries the model uses, read-only (they are
// the app's, not the user's), and the library as the core has it (it is built into the core: the page has no copy
// of its own), for completion and for the version a share link records. No state of the page's: the model's text
// is read when the tab is shown.
import { Type } from '../core/protocol.js';
import { standardLibrariesUsed, usedLibraries } from '../app/libraries.js';
import { digest } from '../app/works.js';

const $ = (id) => document.getElementById(id);

/**
 * @param {object} ctx
 * @param {import('../core/client.js').CoreService} ctx.core
 * @param {() => string} ctx.modelText  the model's text as the editor has it now
 */
export function createLibrariesView({ core, modelText }) {
  let stdlib = null; // the standard library's files {name: text}, from the core (models/lib/ built into it)
  let stdlibLoading = null;

  /// The standard library's files, asked of the core once (they are built into it: the page has no copy of its own).
  function standardLibraries() {
    stdlibLoading ??= core
      .call(Type.standardLibraries)
      .then((files) => (stdlib = files))
      .catch(() => (stdlib = {}));
    return stdlibLoading;
  }

  /// A version of the standard library: a share link records it, so a link made with another one says so on opening.
  async function standardLibraryVersion() {
    return digest(JSON.stringify(await standardLibraries()));
  }

  /// The Libraries tab: the files of the libraries the model uses, read-only (they are the app's, not the user's).
  async function showLibraries() {
    const files = await standardLibraries();
    const text = modelText();
    const used = standardLibrariesUsed(text, files);
    const others = usedLibraries(text).filter((name) => !Object.hasOwn(files, name));
    const pane = $('editor-libraries');
    const intro = document.createElement('p');
    intro.textContent = used.length
      ? 'The standard libraries this model uses (use: [...]): their components, systems and functions, with the equations and units in each description. Read-only: they come with the workbench.'
      : `This model uses no standard library. Write use: [NAME] at the top to use one of ${Object.keys(files).join(', ')}.`;
    const sections = used.map(({ name, text: body }) => {
      const section = document.createElement('section');
      const title = document.createElement('h3');
      title.textContent = `${name} `;
      const note = document.createElement('small');
      note.textContent = `stdlib/${name}.yaml, read-only`;
      title.append(note);
      const pre = document.createElement('pre');
      pre.textContent = body;
      section.append(title, pre);
      return section;
    });
    if (others.length) {
      const p = document.createElement('p');
      p.textContent = `Library files (${others.join(', ')}) are read beside the model by the CLI and Python; the workbench has only the standard library.`;
      sections.push(p);
    }
    pane.replaceChildren(intro, ...sections);
  }

  return {
    standardLibraries,
    standardLibraryVersion,
    show: showLibraries,
    /** The files once they have arrived ({} if the core could not give them), else null. */
    get files() {
      return stdlib;
    },
  };
}
