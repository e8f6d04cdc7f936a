// A catalog row's history: every change, grouped by the version that made it, newest first.
//
//   <${ModelHistory} provider="openai" model="gpt-4o" />
//
// Reads GET /api/models/{provider}/{model}/history (public). Prices are exact, per 1M tokens.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';

function historyPath(provider, model) {
  const id = model.split('/').map(encodeURIComponent).join('/');
  return `/api/models/${encodeURIComponent(provider)}/${id}/history`;
}

function shown(value) {
  return value === null || value === undefined || value === '' ? '—' : value;
}

export function ModelHistory({ provider, model }) {
  const [history, setHistory] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    let live = true;
    setHistory(null);
    setError(null);
    api.get(historyPath(provider, model))
      .then((payload) => live && setHistory(payload))
      .catch((failure) => live && setError(failure.message));
    return () => { live = false; };
  }, [provider, model]);

  if (error) return html`<p class="notice error">Could not load the history: ${error}</p>`;
  if (!history) return html`<p class="loading">Loading history…</p>`;
  const versions = [...history.versions].reverse();
  return html`
    <section class="model-history" aria-label="History">
      <h3>History</h3>
      ${versions.length === 0 && html`<p class="muted">No changes since it was first seen.</p>`}
      <ol class="history-list">
        ${versions.map((entry) => html`
          <li key=${entry.version}>
            <span class="mono">${entry.version}</span> <span class="muted">${entry.changed_at}</span>
            <ul class="diff-fields">
              ${entry.changes.map((change) => html`
                <li key=${change.field} class="diff-field">
                  <span class="diff-label">${change.per_1m ? `${change.field} (per 1M)` : change.field}</span>
                  <span class="mono">${shown(change.before)}</span> → <span class="mono">${shown(change.after)}</span>
                </li>
              `)}
            </ul>
          </li>
        `)}
      </ol>
      <p class="hint">First seen ${history.first_seen_at}.</p>
    </section>
  `;
}
