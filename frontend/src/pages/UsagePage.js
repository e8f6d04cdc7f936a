// Usage at /admin/usage: requests and spend over time (chart), and a table grouped by day,
// model facade, provider or client key. Spend counts only requests whose cost is known; the
// "Unknown cost" column says how many were not (a missing price is never counted as zero).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { AdminKeyPrompt, needsAdminKey } from '../components/AdminKeyPrompt.js';
import { DataTable } from '../components/DataTable.js';
import { UsageChart } from '../components/UsageChart.js';

const GROUPINGS = [['day', 'Day'], ['facade', 'Model'], ['provider', 'Provider'], ['key', 'Client key']];

function query(groupBy, range) {
  const params = new URLSearchParams({ group_by: groupBy });
  if (range.from) params.set('from', range.from);
  if (range.to) params.set('to', range.to);
  return `/api/admin/usage?${params}`;
}

function useUsage(groupBy, range) {
  const [state, setState] = useState({ daily: null, grouped: null, error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    Promise.all([api.get(query('day', range)), api.get(query(groupBy, range))])
      .then(([daily, grouped]) => setState({ daily, grouped, error: null }),
        (error) => setState({ daily: null, grouped: null, error }));
  }, [groupBy, range.from, range.to, generation]);
  return [state, () => setGeneration((n) => n + 1)];
}

export function UsagePage() {
  const [groupBy, setGroupBy] = useState('facade');
  const [range, setRange] = useState({ from: '', to: '' });
  const [{ daily, grouped, error }, reload] = useUsage(groupBy, range);

  if (needsAdminKey(error)) {
    return html`<${AdminKeyPrompt} rejected=${Boolean(error && error.status === 401)} onSaved=${reload} />`;
  }

  const label = GROUPINGS.find(([value]) => value === groupBy)[1];
  const columns = [
    { key: 'key', label, render: (g) => html`<span class=${groupBy === 'day' ? '' : 'mono'}>${g.key}</span>` },
    { key: 'requests', label: 'Requests', align: 'right' },
    { key: 'errors', label: 'Errors', align: 'right' },
    { key: 'input_tokens', label: 'Input tokens', align: 'right' },
    { key: 'output_tokens', label: 'Output tokens', align: 'right' },
    { key: 'spend', label: 'Spend (USD)', align: 'right', render: (g) => `$${g.spend}` },
    { key: 'unknown_cost_requests', label: 'Unknown cost', align: 'right' },
  ];
  const setDate = (name) => (event) => setRange({ ...range, [name]: event.currentTarget.value });

  return html`
    <section>
      <div class="page-header">
        <div>
          <h1>Usage</h1>
          <p class="muted">Requests routed through the gateway, their tokens and spend at Provider Model prices.</p>
        </div>
      </div>
      <div class="filters">
        <div class="field">
          <label for="usage-group">Group by</label>
          <select id="usage-group" value=${groupBy} onChange=${(event) => setGroupBy(event.currentTarget.value)}>
            ${GROUPINGS.map(([value, text]) => html`<option key=${value} value=${value}>${text}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="usage-from">From</label>
          <input id="usage-from" type="date" value=${range.from} onChange=${setDate('from')} />
        </div>
        <div class="field">
          <label for="usage-to">To</label>
          <input id="usage-to" type="date" value=${range.to} onChange=${setDate('to')} />
        </div>
      </div>
      ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
      ${!daily && !error && html`<p class="loading">Loading usage…</p>`}
      ${daily && html`
        <div class="cards">
          <div class="card"><span class="card-label">Requests</span><span class="card-value">${daily.totals.requests}</span></div>
          <div class="card"><span class="card-label">Spend</span><span class="card-value">$${daily.totals.spend}</span></div>
          <div class="card"><span class="card-label">Tokens in / out</span><span class="card-value">${daily.totals.input_tokens} / ${daily.totals.output_tokens}</span></div>
          <div class="card"><span class="card-label">Unknown cost</span><span class="card-value">${daily.totals.unknown_cost_requests}</span></div>
        </div>
        <${UsageChart} days=${daily.groups} />`}
      ${grouped && html`<${DataTable} caption=${`Usage by ${label}`} columns=${columns} rows=${grouped.groups}
          rowKey=${(g) => g.key} empty="No requests in this period." />`}
    </section>
  `;
}
