// "My work": the dialog listing the user's saves (app/works.js), the most recent first, each with what it is, when
// it last changed, Open, Rename and Delete (a second click confirms), and a form that keeps a named copy of the
// save shown now.

function originText(entry) {
  if (entry.kind === 'snapshot') return 'kept copy';
  if (entry.origin === 'link') return 'opened from a link';
  if (entry.origin.startsWith('gallery:')) return 'gallery model';
  if (entry.origin.startsWith('file:')) return `file ${entry.origin.slice(5)}`;
  return 'earlier session';
}

/// works: a WorkStore; currentId() -> the id shown; onOpen(id); onKeep(title).
export function createWorksDialog(dialog, { works, currentId, onOpen, onKeep }) {
  const list = dialog.querySelector('#works-list');
  const name = dialog.querySelector('#keep-copy-name');

  function render() {
    list.replaceChildren();
    for (const entry of works.list()) {
      const item = document.createElement('li');
      item.className = 'work';
      item.dataset.id = entry.id;
      item.dataset.model = entry.model;
      const shown = entry.id === currentId();
      if (shown) item.classList.add('current');
      const title = document.createElement('strong');
      title.className = 'work-title';
      title.textContent = entry.title;
      const meta = document.createElement('span');
      meta.className = 'work-meta';
      meta.textContent = `${entry.model} · ${originText(entry)} · ${new Date(entry.updated).toLocaleString()}${shown ? ' · shown now' : ''}`;
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'work-open';
      open.textContent = shown ? 'Shown' : 'Open';
      open.disabled = shown;
      open.addEventListener('click', () => {
        dialog.close();
        onOpen(entry.id);
      });
      const rename = document.createElement('button');
      rename.type = 'button';
      rename.className = 'work-rename';
      rename.textContent = 'Rename';
      rename.addEventListener('click', () => {
        const field = document.createElement('input');
        field.type = 'text';
        field.value = entry.title;
        field.setAttribute('aria-label', 'new name');
        title.replaceWith(field);
        field.focus();
        field.select();
        const done = () => {
          works.rename(entry.id, field.value);
          render();
        };
        field.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') done();
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            render();
          }
        });
        field.addEventListener('blur', done);
      });
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'work-delete';
      remove.textContent = 'Delete';
      remove.disabled = shown;
      remove.addEventListener('click', () => {
        if (remove.dataset.armed) {
          works.remove(entry.id);
          render();
        } else {
          remove.dataset.armed = '1';
          remove.textContent = 'Delete for good?';
        }
      });
      const buttons = document.createElement('span');
      buttons.className = 'work-buttons';
      buttons.append(open, rename, remove);
      const text = document.createElement('span');
      text.className = 'work-text';
      text.append(title, meta);
      item.append(text, buttons);
      list.append(item);
    }
  }

  dialog.querySelector('#keep-copy').addEventListener('submit', (event) => {
    event.preventDefault();
    onKeep(name.value.trim());
    name.value = '';
    render();
  });
  dialog.querySelector('.close')?.addEventListener('click', () => dialog.close());
  return {
    open() {
      render();
      dialog.showModal();
    },
  };
}
