// The admin page's two DOM helpers, for the tabs and sections its modules draw.

/** An element with its properties and children. */
export const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...children)
  return node
}

/** An empty data table: its caption, a header row of column headings, and an empty body. */
export function dataTable(id, caption, headings) {
  const table = el('table', { id })
  table.createCaption().textContent = caption
  table
    .createTHead()
    .insertRow()
    .append(...headings.map((h) => el('th', { scope: 'col' }, h)))
  table.createTBody()
  return table
}

/** A tab's section: a card with its id, heading, the help paragraph that says what it is for, and the rest. */
export const card = (id, title, help, ...children) =>
  el(
    'section',
    { className: 'card', id },
    el('h2', {}, title),
    el('p', { className: 'help' }, help),
    ...children,
  )
