// QR codes drawn in the page (no network, no image service): the vendored qrcode-generator
// (web/vendor/qrcode.js) lays out the modules, and they become one SVG path built with dom.js, so
// nothing the library returns is ever parsed as markup. Used by the kiosk's check-in code and the
// volunteer card.

import qrcode from '../vendor/qrcode.js';
import { svg } from './dom.js';

/** The light margin around the modules that scanners need (four modules, as the standard asks). */
const QUIET_ZONE = 4;

/**
 * An SVG QR code of `text` at error correction M (a phone camera reads it from a tablet across a
 * table, or from a printed card with a crease). `label` is what a screen reader hears: the picture
 * is role="img". Sized by the stylesheet (`className`); the viewBox keeps one module one unit.
 * `data-modules` says how many modules a side has (without the margin).
 */
export function qrSvg(text, { label, className = 'qr' } = {}) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  // One path of unit squares: a few hundred modules as a single element, crisp at any size.
  let d = '';
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (qr.isDark(row, col)) d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  const size = count + QUIET_ZONE * 2;
  return svg(
    'svg',
    {
      class: className,
      viewBox: `0 0 ${size} ${size}`,
      role: 'img',
      'aria-label': label,
      focusable: 'false',
      'shape-rendering': 'crispEdges',
      'data-modules': count,
    },
    // Black on white whatever the page's colours (dark mode, print): a scanner needs the contrast.
    svg('rect', { x: 0, y: 0, width: size, height: size, fill: '#fff' }),
    svg('path', { d, fill: '#000' }),
  );
}
