// The gallery: a dialog of model cards (name, one-line description, tags), grouped as models/gallery.json says.
import { groups } from '../models.js';

export function createGallery(dialog, onPick) {
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
        onPick(model);
      });
      cards.append(card);
    }
    list.append(heading, cards);
  }
  dialog.querySelector('.close')?.addEventListener('click', () => dialog.close());
  return { open: () => dialog.showModal() };
}
