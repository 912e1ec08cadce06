// The gallery: a dialog of model cards (name, one-line description, tags), grouped as models/gallery.json says.
import { groups } from '../models.js';

/// onPick(model, {original}): original asks for the model as published, in a new save beside the user's own.
/// savedOf(name) -> true when the user has a save of that model (its card then says so and offers the original).
export function createGallery(dialog, onPick, savedOf = () => false) {
  const list = dialog.querySelector('.gallery-list');
  list.replaceChildren();
  for (const group of groups) {
    const heading = document.createElement('h2');
    heading.textContent = group.name;
    const cards = document.createElement('div');
    cards.className = 'cards';
    for (const model of group.models) {
      const card = document.createElement('button');
      card.type = 'button';
      card.className = 'card';
      card.dataset.model = model.name;
      const title = document.createElement('strong');
      title.textContent = model.name.replace(/_/g, ' ');
      const text = document.createElement('span');
      text.className = 'card-text';
      text.textContent = model.description;
      const tags = document.createElement('span');
      tags.className = 'tags';
      for (const tag of model.tags) {
        const t = document.createElement('span');
        t.className = 'tag';
        t.textContent = tag;
        tags.append(t);
      }
      card.append(title, text, tags);
      card.addEventListener('click', () => {
        dialog.close();
        onPick(model, { original: false });
      });
      const original = document.createElement('button');
      original.type = 'button';
      original.className = 'card-original';
      original.dataset.model = model.name;
      original.textContent = 'start again from the original';
      original.title = 'Opens the model as published in a new save; your edited one stays in My work';
      original.addEventListener('click', () => {
        dialog.close();
        onPick(model, { original: true });
      });
      const wrap = document.createElement('div');
      wrap.className = 'card-wrap';
      wrap.append(card, original);
      cards.append(wrap);
    }
    list.append(heading, cards);
  }
  dialog.querySelector('.close')?.addEventListener('click', () => dialog.close());
  return {
    open() {
      for (const wrap of list.querySelectorAll('.card-wrap')) {
        const saved = savedOf(wrap.querySelector('.card').dataset.model);
        wrap.classList.toggle('saved', saved);
        wrap.querySelector('.card-original').hidden = !saved;
      }
      dialog.showModal();
    },
  };
}
