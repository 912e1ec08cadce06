// @ts-check
// Small DOM helpers shared by the page's views.

/** An <option> of a select. @param {string} value @param {string} [label] */
export function option(value, label = value) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  return o;
}
