// Pictures for the organiser console, drawn as SVG in the page (no chart service, no library):
// a fill bar (seats taken, volunteers on duty, stock) and a horizontal bar chart with text labels.
// Widths are percentages and text is sized by the stylesheet, so both fit a phone and a laptop.
// Every picture says the same in words: the bar beside its text label, the chart with a table.

import { h, svg } from './dom.js';

const percent = (value, max) => (max > 0 ? Math.max(0, Math.min(100, (value / max) * 100)) : 0);

/**
 * A bar filled to value / max: `kind` colours it ('ok' | 'full' | 'short' for understaffed).
 * Decorative (aria-hidden): the words beside it carry the numbers.
 */
export function fillBar(value, max, { kind = 'ok' } = {}) {
  const filled = percent(value, max);
  return svg(
    'svg',
    { class: `fill fill--${kind}`, width: '100%', height: '1.1em', 'aria-hidden': 'true', focusable: 'false' },
    svg('rect', { class: 'fill__track', x: 0, y: 0, width: '100%', height: '100%', rx: 6 }),
    filled > 0 ? svg('rect', { class: 'fill__bar', x: 0, y: 0, width: `${filled}%`, height: '100%', rx: 6 }) : null,
  );
}

/** Em units down each row of the bar chart: the label line, then the bar with its value. */
const ROW = 3.35;
const BAR_TOP = 1.4;
const BAR_HEIGHT = 1.5;
/** A bar at least this wide (percent) carries its value inside it; a shorter one, just after it. */
const VALUE_INSIDE = 50;

/**
 * A horizontal bar chart: each row's label, then its bar (scaled to the largest value) with the value
 * in words at its end. rows: [{ key, label, value, valueText, cells? }]; `title` names the picture for
 * screen readers, who also get a table of the same numbers: `columns` heads its cells (label,
 * valueText, …cells).
 */
export function barChart({ id, title, rows, columns }) {
  const largest = Math.max(0, ...rows.map((row) => row.value));
  const chart = svg(
    'svg',
    { class: 'chart', id, width: '100%', height: `${rows.length * ROW}em`, role: 'img', 'aria-label': title, focusable: 'false' },
    rows.map((row, index) => {
      const top = index * ROW;
      const width = row.value > 0 ? Math.max(1, percent(row.value, largest)) : 0;
      const inside = width >= VALUE_INSIDE;
      return svg(
        'g',
        { class: `chart__row chart__row--${row.key}` },
        svg('text', { class: 'chart__label', x: 0, y: `${top + 1.05}em` }, row.label),
        svg('rect', { class: 'chart__track', x: 0, y: `${top + BAR_TOP}em`, width: '100%', height: `${BAR_HEIGHT}em`, rx: 5 }),
        width ? svg('rect', { class: 'chart__bar', x: 0, y: `${top + BAR_TOP}em`, width: `${width}%`, height: `${BAR_HEIGHT}em`, rx: 5 }) : null,
        svg(
          'text',
          {
            class: inside ? 'chart__value chart__value--inside' : 'chart__value',
            x: `${width}%`,
            dx: inside ? '-0.5em' : '0.5em',
            y: `${top + BAR_TOP + 1.08}em`,
            'text-anchor': inside ? 'end' : 'start',
          },
          row.valueText,
        ),
      );
    }),
  );
  // Hidden in a div: a table will not shrink to the 1px that hides it, and would widen the page.
  const table = h(
    'table',
    {},
    h('caption', {}, title),
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col' }, column)))),
    h(
      'tbody',
      {},
      rows.map((row) => h('tr', {}, h('th', { scope: 'row' }, row.label), h('td', {}, row.valueText), (row.cells ?? []).map((cell) => h('td', {}, cell)))),
    ),
  );
  return h('figure', { class: 'chart-figure' }, chart, h('div', { class: 'visually-hidden' }, table));
}

/** A small warning sign (decorative) for the banners that must not be missed. */
export function warningIcon() {
  return svg(
    'svg',
    { class: 'icon', viewBox: '0 0 24 24', width: '1.6em', height: '1.6em', 'aria-hidden': 'true', focusable: 'false' },
    svg('path', { d: 'M12 2 1 21h22L12 2z', fill: 'currentColor' }),
    svg('path', { d: 'M11 9h2v6h-2zM11 17h2v2h-2z', class: 'icon__mark' }),
  );
}

/** A number with its words beside a fill bar: "12 / 40" big, then what it counts. */
export function meter({ value, max, label, detail, kind, id }) {
  return h(
    'div',
    { class: 'meter', id },
    h('p', { class: 'meter__numbers' }, h('span', { class: 'meter__value' }, String(value)), ` / ${max} `, h('span', { class: 'meter__label' }, label)),
    fillBar(value, max, { kind }),
    detail ? h('p', { class: 'meter__detail' }, detail) : null,
  );
}
