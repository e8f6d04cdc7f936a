// Requests (bars) and spend (line) per day, drawn as inline SVG elements — no chart library,
// no inline styles (colors come from classes in styles.css).
//
//   <${UsageChart} days=${report.groups} />   // groups of GET /api/admin/usage?group_by=day
import { html } from '../html.js';

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 16, right: 56, bottom: 28, left: 48 };

// Every day from the first to the last, with zeros where nothing was recorded.
export function fillDays(groups) {
  if (groups.length === 0) return [];
  const byDay = new Map(groups.map((g) => [g.key, g]));
  const days = [];
  const day = new Date(`${groups[0].key}T00:00:00Z`);
  const last = new Date(`${groups[groups.length - 1].key}T00:00:00Z`);
  while (day <= last && days.length < 366) {
    const key = day.toISOString().slice(0, 10);
    days.push(byDay.get(key) || { key, requests: 0, spend: 0 });
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}

export function UsageChart({ days }) {
  const points = fillDays(days);
  if (points.length === 0) return html`<p class="muted chart-empty">No requests in this period.</p>`;
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const maxRequests = Math.max(1, ...points.map((p) => p.requests));
  const maxSpend = Math.max(...points.map((p) => Number(p.spend)), 0);
  const slot = plotWidth / points.length;
  const barWidth = Math.max(2, slot * 0.6);
  const yRequests = (value) => PAD.top + plotHeight - (value / maxRequests) * plotHeight;
  const ySpend = (value) => PAD.top + plotHeight - (maxSpend ? (Number(value) / maxSpend) * plotHeight : 0);
  const x = (index) => PAD.left + slot * index + slot / 2;
  const line = points.map((p, i) => `${x(i).toFixed(1)},${ySpend(p.spend).toFixed(1)}`).join(' ');
  const bottom = PAD.top + plotHeight;

  return html`
    <figure class="usage-chart">
      <svg viewBox=${`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Requests and spend per day">
        <line class="chart-axis" x1=${PAD.left} y1=${bottom} x2=${WIDTH - PAD.right} y2=${bottom} />
        ${points.map((p, i) => html`
          <rect key=${p.key} class="chart-bar" x=${(x(i) - barWidth / 2).toFixed(1)} y=${yRequests(p.requests).toFixed(1)}
                width=${barWidth.toFixed(1)} height=${(bottom - yRequests(p.requests)).toFixed(1)}>
            <title>${p.key}: ${p.requests} requests, $${p.spend}</title>
          </rect>`)}
        ${points.length > 1
          ? html`<polyline class="chart-line" points=${line} />`
          : html`<circle class="chart-dot" cx=${x(0)} cy=${ySpend(points[0].spend)} r="4" />`}
        <text class="chart-label" x=${PAD.left - 6} y=${PAD.top + 4} text-anchor="end">${maxRequests}</text>
        <text class="chart-label" x=${PAD.left - 6} y=${bottom} text-anchor="end">0</text>
        <text class="chart-label spend" x=${WIDTH - PAD.right + 6} y=${PAD.top + 4}>$${maxSpend}</text>
        <text class="chart-label" x=${PAD.left} y=${HEIGHT - 8}>${points[0].key}</text>
        <text class="chart-label" x=${WIDTH - PAD.right} y=${HEIGHT - 8} text-anchor="end">${points[points.length - 1].key}</text>
      </svg>
      <figcaption class="chart-legend">
        <span class="legend-requests">Requests per day</span>
        <span class="legend-spend">Spend (USD) per day</span>
      </figcaption>
    </figure>
  `;
}
