// The Models list at /admin/models (seed 001): every model facade with its slug, name, kind,
// status and backend count; search by slug or name; add, view, edit and delete.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { Link, navigate } from '../router.js';
import { AdminKeyPrompt, needsAdminKey } from '../components/AdminKeyPrompt.js';
import { DataTable } from '../components/DataTable.js';
import { FacadeDeleteDialog } from '../components/FacadeDeleteDialog.js';
import { FacadeForm } from '../components/FacadeForm.js';
import { FacadeStatusBadge } from '../components/FacadeStatusBadge.js';
import { showToast } from '../components/Toast.js';

function useFacades(query) {
  const [state, setState] = useState({ facades: null, error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const search = query.trim() ? `?q=${encodeURIComponent(query.trim())}` : '';
    api.get(`/api/admin/facades${search}`)
      .then((facades) => setState({ facades, error: null }), (error) => setState({ facades: null, error }));
  }, [query, generation]);
  return [state, () => setGeneration((n) => n + 1)];
}

export function ModelsPage() {
  const [query, setQuery] = useState('');
  const [{ facades, error }, reload] = useFacades(query);
  const [form, setForm] = useState({ open: false, facade: null });
  const [deleting, setDeleting] = useState(null);

  if (needsAdminKey(error)) {
    return html`<${AdminKeyPrompt} rejected=${Boolean(error && error.status === 401)} onSaved=${reload} />`;
  }

  const saved = (facade) => {
    const created = !form.facade;
    setForm({ open: false, facade: null });
    showToast(`${facade.slug} saved`, 'success');
    if (created) navigate(`/admin/models/${encodeURIComponent(facade.slug)}`);
    else reload();
  };

  const columns = [
    { key: 'slug', label: 'Slug', render: (f) => html`<${Link} class="mono" href=${`/admin/models/${encodeURIComponent(f.slug)}`}>${f.slug}</${Link}>` },
    { key: 'name', label: 'Name' },
    { key: 'kind', label: 'Kind', render: (f) => html`<span class="badge kind">${f.kind}</span>` },
    { key: 'status', label: 'Status', render: (f) => html`<${FacadeStatusBadge} status=${f.status} />` },
    { key: 'backend_count', label: 'Backends', align: 'right' },
    { key: 'actions', label: 'Actions', render: (f) => html`
      <span class="row-actions">
        <${Link} href=${`/admin/models/${encodeURIComponent(f.slug)}`} aria-label=${`View ${f.slug}`}>View</${Link}>
        <button type="button" class="button small" aria-label=${`Edit ${f.slug}`} onClick=${() => setForm({ open: true, facade: f })}>Edit</button>
        <button type="button" class="button small danger-text" aria-label=${`Delete ${f.slug}`} onClick=${() => setDeleting(f)}>Delete</button>
      </span>` },
  ];

  return html`
    <section>
      <div class="page-header">
        <div>
          <h1>Models</h1>
          <p class="muted">The names applications call. Each routes to Provider Models with failover.</p>
        </div>
        <button type="button" class="button primary" onClick=${() => setForm({ open: true, facade: null })}>Add model</button>
      </div>
      <div class="filters" role="search">
        <div class="field search">
          <label for="facade-search">Search</label>
          <input id="facade-search" type="search" placeholder="Slug or name" value=${query}
                 onInput=${(event) => setQuery(event.currentTarget.value)} />
        </div>
      </div>
      ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
      ${facades === null && !error && html`<p class="loading">Loading models…</p>`}
      ${facades && html`<${DataTable} caption="Models" columns=${columns} rows=${facades}
          rowKey=${(f) => f.slug} empty=${query ? 'No model matches this search.' : 'No models yet: add one to give applications a stable name to call.'} />`}
      <${FacadeForm} open=${form.open} facade=${form.facade} onClose=${() => setForm({ open: false, facade: null })} onSaved=${saved} />
      <${FacadeDeleteDialog} facade=${deleting} onClose=${() => setDeleting(null)}
                             onDeleted=${(f) => { showToast(`${f.slug} deleted`, 'success'); setDeleting(null); reload(); }} />
    </section>
  `;
}
