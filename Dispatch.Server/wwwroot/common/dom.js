// Small DOM helpers the pages share. Text always goes in as text, never as HTML: names and addresses come from outside.

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// Shows an error paragraph with the text, or hides it when the text is empty.
export function showError(id, text) {
  const node = $(id);
  node.textContent = text || "";
  node.hidden = !text;
}

export function note(id, text) {
  const node = $(id);
  node.textContent = text;
  node.hidden = false;
}
