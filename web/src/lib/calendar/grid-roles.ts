/**
 * @event-calendar/core marks its time grid up as an ARIA table (table › rowgroup › row › cell) but
 * puts the events — buttons — inside the rowgroup next to the rows, which a table may not own
 * (axe: aria-required-children, WCAG 1.3.1). Rather than a table that lies, the grid is left as
 * plain groups: each event button names its own time, title, client, room and day (see the page's
 * eventContent), and the "New booking" button is the keyboard path to create. Applied again
 * whenever the library renders new days.
 */
const GRID_ROLES = new Set(['table', 'rowgroup', 'row', 'cell', 'columnheader']);
const TABLE_ATTRIBUTES = ['aria-colspan', 'aria-colindex', 'aria-rowindex', 'aria-rowspan'];

const TABLE_SELECTOR = TABLE_ATTRIBUTES.map((name) => `[${name}]`).join(',');

function strip(root: Element) {
	for (const element of root.querySelectorAll('[role]')) {
		if (GRID_ROLES.has(element.getAttribute('role') ?? '')) element.removeAttribute('role');
	}
	// The library updates these on re-render (a column moving), without its role: remove them each time.
	for (const element of root.querySelectorAll(TABLE_SELECTOR)) {
		for (const name of TABLE_ATTRIBUTES) element.removeAttribute(name);
	}
}

/** A Svelte attachment for the element around the calendar. */
export function withoutGridRoles(node: Element) {
	strip(node);
	const observer = new MutationObserver(() => strip(node));
	observer.observe(node, { subtree: true, childList: true, attributes: true, attributeFilter: ['role', ...TABLE_ATTRIBUTES] });
	return () => observer.disconnect();
}
