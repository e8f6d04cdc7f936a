// One provider at /admin/providers/:id (seed 002): its cards, its actions, and its Provider Models —
// import from the catalog, add a custom model, edit/disable/remove a row, and see drift: the
// catalog's newer value beside the row's own. Nothing changes a row unless the operator does.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { Link, navigate } from '../router.js';
import { AdminKeyPrompt, needsAdminKey } from '../components/AdminKeyPrompt.js';
import { DataTable } from '../components/DataTable.js';
import { ProviderDeleteDialog } from '../components/ProviderDeleteDialog.js';
import { ProviderForm } from '../components/ProviderForm.js';
import { ProviderModelForm } from '../components/ProviderModelForm.js';
import { ProviderStatusBadge } from '../components/ProviderStatusBadge.js';
import { showToast } from '../components/Toast.js';
import { formatTimestamp } from './ProvidersPage.js';

function formatPrice(value) {
  return value === null || value === undefined ? 'unknown' : `$${value}`;
}

function formatValue(field, value) {
  if (field === 'context_window') return value === null || value === undefined ? 'unknown' : Number(value).toLocaleString('en-US');
  return formatPrice(value);
}

function useProvider(id) {
  const [state, setState] = useState({ provider: null, models: null, kinds: [], error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const base = `/api/admin/providers/${id}`;
    Promise.all([api.get(base), api.get(`${base}/models`), api.get('/api/admin/provider-kinds')])
      .then(([provider, models, kinds]) => setState({ provider, models, kinds, error: null }),
        (error) => setState({ provider: null, models: null, kinds: [], error }));
  }, [id, generation]);
  return [state, () => setGeneration((n) => n + 1)];
}

// The row's own value, with the catalog's newer value beside it when the catalog moved.
function TrackedValue({ model, field }) {
  const drift = model.drift[field];
  return html`
    <span class=${model[field] === null ? 'unknown' : ''}>${formatValue(field, model[field])}</span>
    ${drift && html`<span class="drift" title="The catalog changed since import">catalog: ${formatValue(field, drift.catalog)}</span>`}
  `;
}

function Card({ label, children }) {
  return html`<div class="card"><span class="card-label">${label}</span><span class="card-value">${children}</span></div>`;
}

export function ProviderDetailPage({ id }) {
  const [{ provider, models, kinds, error }, reload] = useProvider(id);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(null);
  const [modelForm, setModelForm] = useState({ open: false, model: null });

  if (needsAdminKey(error)) {
    return html`<${AdminKeyPrompt} rejected=${Boolean(error && error.status === 401)} onSaved=${reload} />`;
  }
  if (error) return html`<section><p class="notice error" role="alert">${error.message}</p><${Link} href="/admin/providers">Back to providers</${Link}></section>`;
  if (!provider) return html`<p class="loading">Loading provider…</p>`;

  const base = `/api/admin/providers/${provider.id}`;
  const run = async (work, message) => {
    try {
      const result = await work();
      showToast(typeof message === 'function' ? message(result) : message, 'success');
      reload();
    } catch (caught) {
      showToast(caught.message, 'error');
    }
  };
  const toggleProvider = () => run(() => api.post(`${base}/${provider.status === 'active' ? 'disable' : 'enable'}`),
    `${provider.name} ${provider.status === 'active' ? 'disabled' : 'enabled'}`);
  const importCatalog = () => run(() => api.post(`${base}/models/import`),
    (r) => `Imported ${r.added} model${r.added === 1 ? '' : 's'} from catalog ${r.version || ''}; ${r.skipped} already present`);
  const toggleModel = (m) => run(() => api.patch(`${base}/models/${m.id}`, { status: m.status === 'active' ? 'disabled' : 'active' }),
    `${m.upstream_model_id} ${m.status === 'active' ? 'disabled' : 'enabled'}`);
  const removeModel = (m) => run(() => api.delete(`${base}/models/${m.id}`), `${m.upstream_model_id} removed`);
  const acceptCatalog = (m) => run(() => api.post(`${base}/models/${m.id}/accept-catalog`), `${m.upstream_model_id} now has the catalog values`);

  const columns = [
    { key: 'upstream_model_id', label: 'Upstream model ID', render: (m) => html`<span class="mono">${m.upstream_model_id}</span>` },
    { key: 'kind', label: 'Kind', render: (m) => html`<span class="badge">${m.kind}</span>` },
    { key: 'status', label: 'Status', render: (m) => html`<${ProviderStatusBadge} status=${m.status} />` },
    { key: 'context_window', label: 'Context window', align: 'right', render: (m) => html`<${TrackedValue} model=${m} field="context_window" />` },
    { key: 'input', label: 'Input / 1M', align: 'right', render: (m) => html`<${TrackedValue} model=${m} field="input_price_per_1m" />` },
    { key: 'output', label: 'Output / 1M', align: 'right', render: (m) => html`<${TrackedValue} model=${m} field="output_price_per_1m" />` },
    { key: 'source', label: 'Source', render: (m) => m.source_label },
    { key: 'actions', label: 'Actions', render: (m) => html`
      <span class="row-actions">
        <button type="button" class="button small" aria-label=${`Edit ${m.upstream_model_id}`} onClick=${() => setModelForm({ open: true, model: m })}>Edit</button>
        <button type="button" class="button small" aria-label=${`${m.status === 'active' ? 'Disable' : 'Enable'} ${m.upstream_model_id}`} onClick=${() => toggleModel(m)}>${m.status === 'active' ? 'Disable' : 'Enable'}</button>
        <button type="button" class="button small danger-text" aria-label=${`Remove ${m.upstream_model_id}`} onClick=${() => removeModel(m)}>Remove</button>
        ${m.has_drift && html`<button type="button" class="button small" aria-label=${`Take catalog values for ${m.upstream_model_id}`} onClick=${() => acceptCatalog(m)}>Take catalog values</button>`}
      </span>` },
  ];

  return html`
    <section>
      <div class="page-header">
        <div>
          <h1>${provider.name}</h1>
          <p class="muted mono">${provider.details}</p>
        </div>
        <div class="actions-bar">
          <${Link} href="/admin/providers" class="button">Back</${Link}>
          <button type="button" class="button" onClick=${() => setEditing(true)}>Edit</button>
          <button type="button" class="button" onClick=${toggleProvider}>${provider.status === 'active' ? 'Disable' : 'Enable'}</button>
          <button type="button" class="button danger" onClick=${() => setDeleting(provider)}>Delete</button>
        </div>
      </div>
      <div class="cards">
        <${Card} label="Name">${provider.name}</${Card}>
        <${Card} label="Kind"><span class="badge kind">${provider.kind_label}</span></${Card}>
        <${Card} label="Status"><${ProviderStatusBadge} status=${provider.status} /></${Card}>
        <${Card} label="Created">${formatTimestamp(provider.created_at)}</${Card}>
        <${Card} label="Credential"><span class="mono">${provider.credential_prefix || '—'}</span>
          ${provider.credential_updated_at && html`<span class="cell-sub">updated ${formatTimestamp(provider.credential_updated_at)}</span>`}</${Card}>
      </div>
      <div class="page-header">
        <h2>Provider Models</h2>
        <div class="actions-bar">
          <button type="button" class="button" onClick=${importCatalog}>Import from catalog</button>
          <button type="button" class="button primary" onClick=${() => setModelForm({ open: true, model: null })}>Add custom model</button>
        </div>
      </div>
      <${DataTable} caption="Provider Models" columns=${columns} rows=${models} rowKey=${(m) => String(m.id)}
                    rowClass=${(m) => (m.has_drift ? 'has-drift' : '')}
                    empty="No Provider Models yet. Import from the catalog or add a custom model." />
      <${ProviderForm} open=${editing} provider=${provider} kinds=${kinds} onClose=${() => setEditing(false)}
                       onSaved=${(p) => { showToast(`${p.name} saved`, 'success'); setEditing(false); reload(); }} />
      <${ProviderModelForm} open=${modelForm.open} providerId=${provider.id} model=${modelForm.model}
                            onClose=${() => setModelForm({ open: false, model: null })}
                            onSaved=${(m) => { showToast(`${m.upstream_model_id} saved`, 'success'); setModelForm({ open: false, model: null }); reload(); }} />
      <${ProviderDeleteDialog} provider=${deleting} onClose=${() => setDeleting(null)}
                               onDeleted=${(p) => { showToast(`${p.name} deleted`, 'success'); navigate('/admin/providers'); }} />
    </section>
  `;
}
