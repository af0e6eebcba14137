/**
 * Section 6: latency against concurrency as an SVG, written beside docs/performance.md. Plain
 * SVG (no library): two panels — p50 and p99 latency per level on a log-2 concurrency axis, and
 * the request path's multiple of its floor with the target drawn in.
 */

export interface ChartSeries {
  label: string;
  colour: string;
  /** Dashed line (the floor). */
  dashed?: boolean;
  points: { concurrency: number; p50: number; p99: number }[];
}

export interface ChartInput {
  title: string;
  subtitle: string;
  series: ChartSeries[];
  /** The request path's p50 ÷ the floor's, per concurrency. */
  ratios: { concurrency: number; ratio: number }[];
  target: number;
}

const W = 880;
const H = 420;
const PANEL = { top: 70, bottom: 350, left1: 70, right1: 470, left2: 560, right2: 850 };

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (value: number) => (value === 0 ? '0' : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

function niceMax(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

export function renderLatencyChart(input: ChartInput): string {
  const concurrencies = [...new Set(input.series.flatMap((s) => s.points.map((p) => p.concurrency)))].sort((a, b) => a - b);
  const logMin = Math.log2(concurrencies[0] ?? 1);
  const logMax = Math.log2(concurrencies[concurrencies.length - 1] ?? 2);
  const x = (c: number, left: number, right: number) => left + ((Math.log2(c) - logMin) / Math.max(1e-9, logMax - logMin)) * (right - left);
  const yMax = niceMax(Math.max(...input.series.flatMap((s) => s.points.map((p) => p.p50))) * 1.1);
  const y = (value: number) => PANEL.bottom - (value / yMax) * (PANEL.bottom - PANEL.top);
  const finiteRatios = input.ratios.filter((r) => Number.isFinite(r.ratio));
  const rMax = Math.max(2, Math.ceil(Math.max(input.target, ...finiteRatios.map((r) => r.ratio)) * 2) / 2 + 0.5);
  const ry = (value: number) => PANEL.bottom - (value / rMax) * (PANEL.bottom - PANEL.top);
  const out: string[] = [];
  const push = (line: string) => out.push(line);

  push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" role="img" aria-labelledby="chart-title chart-desc">`);
  push(`<title id="chart-title">${escapeXml(input.title)}</title>`);
  push(`<desc id="chart-desc">${escapeXml(input.subtitle)}</desc>`);
  push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  push(`<text x="${PANEL.left1}" y="24" font-size="15" font-weight="600" fill="#111">${escapeXml(input.title)}</text>`);
  push(`<text x="${PANEL.left1}" y="44" fill="#555">${escapeXml(input.subtitle)}</text>`);

  // Left panel: latency.
  for (let i = 0; i <= 5; i += 1) {
    const value = (yMax / 5) * i;
    push(`<line x1="${PANEL.left1}" x2="${PANEL.right1}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#e5e5e5"/>`);
    push(`<text x="${PANEL.left1 - 8}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end" fill="#555">${fmt(value)}</text>`);
  }
  push(`<text transform="translate(20 ${(PANEL.top + PANEL.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#333">p50 latency, ms (p99 as a thin line)</text>`);
  for (const c of concurrencies) {
    push(`<text x="${x(c, PANEL.left1, PANEL.right1).toFixed(1)}" y="${PANEL.bottom + 18}" text-anchor="middle" fill="#555">${c}</text>`);
  }
  push(`<text x="${(PANEL.left1 + PANEL.right1) / 2}" y="${PANEL.bottom + 38}" text-anchor="middle" fill="#333">concurrent requests</text>`);
  push(`<line x1="${PANEL.left1}" x2="${PANEL.right1}" y1="${PANEL.bottom}" y2="${PANEL.bottom}" stroke="#999"/>`);
  for (const s of input.series) {
    const pts = s.points.filter((p) => Number.isFinite(p.p50)).sort((a, b) => a.concurrency - b.concurrency);
    const path = pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.concurrency, PANEL.left1, PANEL.right1).toFixed(1)} ${y(p.p50).toFixed(1)}`).join(' ');
    const p99 = pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.concurrency, PANEL.left1, PANEL.right1).toFixed(1)} ${y(Math.min(p.p99, yMax)).toFixed(1)}`).join(' ');
    push(`<path d="${p99}" fill="none" stroke="${s.colour}" stroke-width="1" stroke-opacity="0.45"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    push(`<path d="${path}" fill="none" stroke="${s.colour}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="7 5"' : ''}/>`);
    for (const p of pts) {
      push(`<circle cx="${x(p.concurrency, PANEL.left1, PANEL.right1).toFixed(1)}" cy="${y(p.p50).toFixed(1)}" r="3.5" fill="${s.colour}"><title>${escapeXml(`${s.label}, ${p.concurrency} at once: p50 ${fmt(p.p50)} ms, p99 ${fmt(p.p99)} ms`)}</title></circle>`);
    }
  }
  input.series.forEach((s, i) => {
    const ly = PANEL.top + 4 + i * 18;
    push(`<line x1="${PANEL.left1 + 12}" x2="${PANEL.left1 + 40}" y1="${ly}" y2="${ly}" stroke="${s.colour}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="7 5"' : ''}/>`);
    push(`<text x="${PANEL.left1 + 46}" y="${ly + 4}" fill="#222">${escapeXml(s.label)}</text>`);
  });

  // Right panel: the multiple of the floor.
  for (let value = 0; value <= rMax + 1e-9; value += 0.5) {
    push(`<line x1="${PANEL.left2}" x2="${PANEL.right2}" y1="${ry(value).toFixed(1)}" y2="${ry(value).toFixed(1)}" stroke="#e5e5e5"/>`);
    push(`<text x="${PANEL.left2 - 8}" y="${(ry(value) + 4).toFixed(1)}" text-anchor="end" fill="#555">${value.toFixed(1)}×</text>`);
  }
  push(`<text transform="translate(${PANEL.left2 - 44} ${(PANEL.top + PANEL.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#333">request path p50 ÷ floor p50</text>`);
  for (const c of concurrencies) {
    push(`<text x="${x(c, PANEL.left2, PANEL.right2).toFixed(1)}" y="${PANEL.bottom + 18}" text-anchor="middle" fill="#555">${c}</text>`);
  }
  push(`<text x="${(PANEL.left2 + PANEL.right2) / 2}" y="${PANEL.bottom + 38}" text-anchor="middle" fill="#333">concurrent requests</text>`);
  push(`<line x1="${PANEL.left2}" x2="${PANEL.right2}" y1="${PANEL.bottom}" y2="${PANEL.bottom}" stroke="#999"/>`);
  push(`<line x1="${PANEL.left2}" x2="${PANEL.right2}" y1="${ry(input.target).toFixed(1)}" y2="${ry(input.target).toFixed(1)}" stroke="#c0392b" stroke-width="1.5" stroke-dasharray="4 3"/>`);
  // Below the line, where the point labels (above their points) do not reach.
  push(`<text x="${(PANEL.left2 + PANEL.right2) / 2}" y="${(ry(input.target) + 15).toFixed(1)}" text-anchor="middle" fill="#c0392b">target ${input.target}×</text>`);
  push(`<line x1="${PANEL.left2}" x2="${PANEL.right2}" y1="${ry(1).toFixed(1)}" y2="${ry(1).toFixed(1)}" stroke="#777"/>`);
  const ratioPath = finiteRatios.map((r, i) => `${i ? 'L' : 'M'}${x(r.concurrency, PANEL.left2, PANEL.right2).toFixed(1)} ${ry(r.ratio).toFixed(1)}`).join(' ');
  push(`<path d="${ratioPath}" fill="none" stroke="#1f6feb" stroke-width="2.5"/>`);
  for (const r of finiteRatios) {
    const cx = x(r.concurrency, PANEL.left2, PANEL.right2);
    push(`<circle cx="${cx.toFixed(1)}" cy="${ry(r.ratio).toFixed(1)}" r="3.5" fill="#1f6feb"/>`);
    push(`<text x="${cx.toFixed(1)}" y="${(ry(r.ratio) - 9).toFixed(1)}" text-anchor="middle" fill="#1f6feb">${r.ratio.toFixed(2)}×</text>`);
  }
  push('</svg>');
  return `${out.join('\n')}\n`;
}
