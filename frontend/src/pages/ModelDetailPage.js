// One model facade at /admin/models/:slug (seed 001): its cards (slug, name, kind, status,
// routing, timestamps), the actions that move it between draft, active and disabled, and its
// backends in the order requests try them, with Add backend, Edit and Remove.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { Link, navigate } from '../router.js';
import { AdminKeyPrompt, needsAdminKey } from '../components/AdminKeyPrompt.js';
import { DataTable } from '../components/DataTable.js';
import { FacadeBackendForm } from '../components/FacadeBackendForm.js';
import { FacadeDeleteDialog } from '../components/FacadeDeleteDialog.js';
import { FacadeForm } from '../components/FacadeForm.js';
import { FacadeStatusBadge } from '../components/FacadeStatusBadge.js';
import { showToast } from '../components/Toast.js';

function timestamp(value) {
  return value ? `${value.replace('T', ' ').slice(0, 16)} UTC` : '—';
}

function price(value) {
  return value === null || value === undefined ? 'unknown' : `$${value}`;
}

function defaultsText(defaults) {
  const parts = [];
  if (defaults.temperature !== null) parts.push(`temperature ${defaults.temperature}`);
  if (defaults.max_tokens !== null) parts.push(`max tokens ${defaults.max_tokens}`);
  if (defaults.top_p !== null) parts.push(`top_p ${defaults.top_p}`);
  if (defaults.top_k !== null) parts.push(`top_k ${defaults.top_k}`);
  if (defaults.stop) parts.push(`stop ${defaults.stop.map((s) => JSON.stringify(s)).join(', ')}`);
  return parts.length ? parts.join(' · ') : '—';
}

function useFacade(slug) {
  const [state, setState] = useState({ facade: null, backends: null, error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const base = `/api/admin/facades/${encodeURIComponent(slug)}`;
    Promise.all([api.get(base), api.get(`${base}/backends`)])
      .then(([facade, backends]) => setState({ facade, backends, error: null }),
        (error) => setState({ facade: null, backends: null, error }));
  }, [slug, generation]);
  return [state, () => setGeneration((n) => n + 1)];
}

function Card({ label, children }) {
  return html`<div class="card facade-card"><span class="card-label">${label}</span><span class="card-value">${children}</span></div>`;
}

function StatusActions({ facade, onAction }) {
  return html`
    ${facade.status !== 'active' && html`<button type="button" class="button primary" onClick=${() => onAction('publish')}>Publish</button>`}
    ${facade.status === 'active' && html`<button type="button" class="button" onClick=${() => onAction('disable')}>Disable</button>`}
    ${facade.status !== 'draft' && html`<button type="button" class="button" onClick=${() => onAction('draft')}>Return to draft</button>`}
  `;
}

export function ModelDetailPage({ slug }) {
  const [{ facade, backends, error }, reload] = useFacade(slug);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(null);
  const [backendForm, setBackendForm] = useState({ open: false, backend: null });

  if (needsAdminKey(error)) {
    return html`<${AdminKeyPrompt} rejected=${Boolean(error && error.status === 401)} onSaved=${reload} />`;
  }
  if (error) return html`<section><h1>${slug}</h1><p class="notice error" role="alert">${error.message}</p></section>`;
  if (!facade) return html`<p class="loading">Loading ${slug}…</p>`;

  const base = `/api/admin/facades/${encodeURIComponent(facade.slug)}`;
  const statusAction = async (action) => {
    try {
      const updated = await api.post(`${base}/${action}`);
      showToast(`${updated.slug} is now ${updated.status}`, 'success');
      reload();
    } catch (caught) {
      showToast(caught.message, 'error');
    }
  };
  const removeBackend = async (backend) => {
    try {
      await api.delete(`${base}/backends/${backend.id}`);
      showToast(`Backend ${backend.provider_model.upstream_model_id} removed`, 'success');
      reload();
    } catch (caught) {
      showToast(caught.message, 'error');
    }
  };
  const renamed = (updated) => {
    setEditing(false);
    showToast(`${updated.slug} saved`, 'success');
    if (updated.slug !== facade.slug) navigate(`/admin/models/${encodeURIComponent(updated.slug)}`);
    else reload();
  };
  const backendSaved = (backend) => {
    setBackendForm({ open: false, backend: null });
    showToast(`Backend ${backend.provider_model.upstream_model_id} saved`, 'success');
    reload();
  };
  const addBackend = () => setBackendForm({ open: true, backend: null });

  const columns = [
    { key: 'priority', label: 'Priority', align: 'right' },
    { key: 'provider', label: 'Provider', render: (b) => b.provider.name },
    { key: 'model', label: 'Model ID', render: (b) => html`<span class="mono">${b.provider_model.upstream_model_id}</span>` },
    { key: 'pricing', label: 'Pricing (per 1M)', render: (b) => `${price(b.pricing.input_per_1m)} in / ${price(b.pricing.output_per_1m)} out` },
    { key: 'defaults', label: 'Defaults', render: (b) => defaultsText(b.defaults) },
    { key: 'health', label: 'Health', render: (b) => (b.health.cooling_down_until
      ? html`<span class="badge deprecated" title=${b.health.last_error}>cooling down</span>`
      : html`<span class="badge emb">healthy</span>`) },
    { key: 'actions', label: 'Actions', render: (b) => html`
      <span class="row-actions">
        <button type="button" class="button small" aria-label=${`Edit backend ${b.provider_model.upstream_model_id}`}
                onClick=${() => setBackendForm({ open: true, backend: b })}>Edit</button>
        <button type="button" class="button small danger-text" aria-label=${`Remove backend ${b.provider_model.upstream_model_id}`}
                onClick=${() => removeBackend(b)}>Remove</button>
      </span>` },
  ];

  return html`
    <section>
      <div class="page-header">
        <div>
          <h1 class="mono">${facade.slug}</h1>
          <p class="muted">${facade.name}</p>
        </div>
        <div class="actions-bar">
          <${Link} class="button" href="/admin/models">Back</${Link}>
          <button type="button" class="button" onClick=${() => setEditing(true)}>Edit</button>
          <${StatusActions} facade=${facade} onAction=${statusAction} />
          <button type="button" class="button danger-text" onClick=${() => setDeleting(facade)}>Delete</button>
        </div>
      </div>
      <div class="cards facade-cards">
        <${Card} label="Slug"><span class="mono">${facade.slug}</span></${Card}>
        <${Card} label="Display name">${facade.name}</${Card}>
        <${Card} label="Kind">${facade.kind}</${Card}>
        <${Card} label="Status"><${FacadeStatusBadge} status=${facade.status} /></${Card}>
        <${Card} label="Routing">Failover</${Card}>
        <${Card} label="Created">${timestamp(facade.created_at)}</${Card}>
        <${Card} label="Updated">${timestamp(facade.updated_at)}</${Card}>
      </div>
      <p class="hint">Failover: requests go to the lowest-priority healthy backend; on a retryable upstream failure the next one is tried.</p>
      <div class="page-header">
        <h2>Backends</h2>
        ${backends.length > 0 && html`<button type="button" class="button" onClick=${addBackend}>Add backend</button>`}
      </div>
      ${backends.length === 0
        ? html`<div class="panel empty-state">
            <p>No backends yet. A model needs at least one backend before it can be published.</p>
            <button type="button" class="button primary" onClick=${addBackend}>Add backend</button>
          </div>`
        : html`<${DataTable} caption="Backends" columns=${columns} rows=${backends} rowKey=${(b) => String(b.id)} />`}
      <${FacadeForm} open=${editing} facade=${facade} onClose=${() => setEditing(false)} onSaved=${renamed} />
      <${FacadeBackendForm} open=${backendForm.open} facade=${facade} backend=${backendForm.backend}
                            onClose=${() => setBackendForm({ open: false, backend: null })} onSaved=${backendSaved} />
      <${FacadeDeleteDialog} facade=${deleting} onClose=${() => setDeleting(null)}
                             onDeleted=${(f) => { showToast(`${f.slug} deleted`, 'success'); navigate('/admin/models'); }} />
    </section>
  `;
}
