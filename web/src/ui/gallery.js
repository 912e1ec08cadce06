// The gallery: a dialog of model cards (title, one-line description, tags, a small preview of the model's first
// plot), grouped as models/gallery.json says. Titles and descriptions come from the model files (models.js); the
// previews are solved lazily, one model at a time, when the gallery first opens, and kept for the session.
import { groups } from '../models.js';
import { palette } from '../plots/timeseries.js';
import { previewPaths } from './sparkline.js';

const SVG = 'http://www.w3.org/2000/svg';
const SIZE = { width: 120, height: 40, pad: 2 };
const previews = new Map(); // model text -> Promise of {kind, paths, label} (or of null when it did not solve)

function drawPreview(box, preview) {
  box.replaceChildren();
  if (!preview?.paths.length) {
    box.dataset.state = 'failed';
    box.setAttribute('aria-label', 'no preview');
    return;
  }
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${SIZE.width} ${SIZE.height}`);
  svg.setAttribute('width', String(SIZE.width));
  svg.setAttribute('height', String(SIZE.height));
  svg.setAttribute('aria-hidden', 'true');
  preview.paths.forEach((p, i) => {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', p.d);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', palette[i % palette.length]);
    path.setAttribute('stroke-width', '1.3');
    path.dataset.key = p.key;
    svg.append(path);
  });
  box.append(svg);
  box.dataset.state = 'ready';
  box.setAttribute('aria-label', `preview: ${preview.label}`);
}

/// onPick(model, {original}): original asks for the model as published, in a new save beside the user's own.
/// savedOf(name) -> true when the user has a save of that model (its card then says so and offers the original).
/// solve(model) -> Promise<{info, solution}>: the model as published, solved for its preview.
export function createGallery(dialog, onPick, savedOf = () => false, solve = null) {
  const list = dialog.querySelector('.gallery-list');
  list.replaceChildren();
  const boxes = [];
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
      const top = document.createElement('span');
      top.className = 'card-top';
      const title = document.createElement('strong');
      title.className = 'card-title';
      title.textContent = model.title;
      const name = document.createElement('code');
      name.className = 'card-name';
      name.textContent = model.file;
      const heads = document.createElement('span');
      heads.className = 'card-heads';
      heads.append(title, name);
      const box = document.createElement('span');
      box.className = 'preview';
      box.dataset.state = 'pending';
      box.setAttribute('role', 'img');
      box.setAttribute('aria-label', 'preview: solving…');
      boxes.push({ box, model });
      top.append(heads, box);
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
      card.append(top, text, tags);
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

  // One model at a time, in the gallery's order, so the cards fill from the top and the core is never flooded.
  let queue = Promise.resolve();
  function fillPreviews() {
    if (!solve) return;
    for (const { box, model } of boxes) {
      if (box.dataset.state === 'ready') continue;
      if (!previews.has(model.text)) {
        const next = queue.then(() =>
          solve(model)
            .then(({ info, solution }) => previewPaths(info, solution, SIZE))
            .catch(() => null),
        );
        previews.set(model.text, next);
        queue = next;
      }
      previews.get(model.text).then((p) => drawPreview(box, p));
    }
  }

  return {
    open() {
      for (const wrap of list.querySelectorAll('.card-wrap')) {
        const saved = savedOf(wrap.querySelector('.card').dataset.model);
        wrap.classList.toggle('saved', saved);
        wrap.querySelector('.card-original').hidden = !saved;
      }
      dialog.showModal();
      fillPreviews();
    },
  };
}
