// The Providers list at /admin/providers (seed 002): every upstream account with its kind,
// details, credential prefix and status; search by name; add, edit, disable/enable and delete.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { Link } from '../router.js';
import { AdminKeyPrompt, needsAdminKey } from '../components/AdminKeyPrompt.js';
import { DataTable } from '../components/DataTable.js';
import { ProviderDeleteDialog } from '../components/ProviderDeleteDialog.js';
import { ProviderForm } from '../components/ProviderForm.js';
import { ProviderStatusBadge } from '../components/ProviderStatusBadge.js';
import { showToast } from '../components/Toast.js';

export function formatTimestamp(value) {
  return value ? value.replace('T', ' ').slice(0, 16) : '';
}

function useProviders(query) {
  const [state, setState] = useState({ providers: null, kinds: [], error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const search = query.trim() ? `?q=${encodeURIComponent(query.trim())}` : '';
    Promise.all([api.get(`/api/admin/providers${search}`), api.get('/api/admin/provider-kinds')])
      .then(([providers, kinds]) => setState({ providers, kinds, error: null }),
        (error) => setState({ providers: null, kinds: [], error }));
  }, [query, generation]);
  return [state, () => setGeneration((n) => n + 1)];
}

function RowActions({ provider, onEdit, onToggle, onDelete }) {
  const label = provider.name;
  return html`
    <span class="row-actions">
      <${Link} href=${`/admin/providers/${provider.id}`} aria-label=${`View ${label}`}>View</${Link}>
      <button type="button" class="button small" aria-label=${`Edit ${label}`} onClick=${() => onEdit(provider)}>Edit</button>
      <button type="button" class="button small" aria-label=${`${provider.status === 'active' ? 'Disable' : 'Enable'} ${label}`}
              onClick=${() => onToggle(provider)}>${provider.status === 'active' ? 'Disable' : 'Enable'}</button>
      <button type="button" class="button small danger-text" aria-label=${`Delete ${label}`} onClick=${() => onDelete(provider)}>Delete</button>
    </span>
  `;
}

export function ProvidersPage() {
  const [query, setQuery] = useState('');
  const [{ providers, kinds, error }, reload] = useProviders(query);
  const [form, setForm] = useState({ open: false, provider: null });
  const [deleting, setDeleting] = useState(null);

  if (needsAdminKey(error)) {
    return html`<${AdminKeyPrompt} rejected=${Boolean(error && error.status === 401)} onSaved=${reload} />`;
  }

  const toggle = async (provider) => {
    const action = provider.status === 'active' ? 'disable' : 'enable';
    try {
      await api.post(`/api/admin/providers/${provider.id}/${action}`);
      showToast(`${provider.name} ${action}d`, 'success');
      reload();
    } catch (caught) {
      showToast(caught.message, 'error');
    }
  };

  const columns = [
    { key: 'name', label: 'Name', render: (p) => html`<${Link} href=${`/admin/providers/${p.id}`}>${p.name}</${Link}>` },
    { key: 'kind', label: 'Kind', render: (p) => html`<span class="badge kind">${p.kind_label}</span>` },
    { key: 'details', label: 'Details', render: (p) => html`<span class="mono">${p.details}</span>` },
    { key: 'credential', label: 'Credential', render: (p) => html`<span class="mono">${p.credential_prefix || '—'}</span>` },
    { key: 'status', label: 'Status', render: (p) => html`<${ProviderStatusBadge} status=${p.status} />` },
    { key: 'created', label: 'Created', render: (p) => formatTimestamp(p.created_at) },
    { key: 'actions', label: 'Actions', render: (p) => html`<${RowActions} provider=${p}
        onEdit=${(target) => setForm({ open: true, provider: target })} onToggle=${toggle} onDelete=${setDeleting} />` },
  ];

  const saved = (provider) => {
    showToast(`${provider.name} saved`, 'success');
    setForm({ open: false, provider: null });
    reload();
  };

  return html`
    <section>
      <div class="page-header">
        <div>
          <h1>Providers</h1>
          <p class="muted">Upstream accounts and endpoints. Credentials are write-only.</p>
        </div>
        <button type="button" class="button primary" onClick=${() => setForm({ open: true, provider: null })}>Add provider</button>
      </div>
      <div class="filters" role="search">
        <div class="field search">
          <label for="provider-search">Search</label>
          <input id="provider-search" type="search" placeholder="Provider name" value=${query}
                 onInput=${(event) => setQuery(event.currentTarget.value)} />
        </div>
      </div>
      ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
      ${providers === null && !error && html`<p class="loading">Loading providers…</p>`}
      ${providers && html`<${DataTable} caption="Providers" columns=${columns} rows=${providers}
          rowKey=${(p) => String(p.id)} empty="No provider matches this search." />`}
      <${ProviderForm} open=${form.open} provider=${form.provider} kinds=${kinds}
                       onClose=${() => setForm({ open: false, provider: null })} onSaved=${saved} />
      <${ProviderDeleteDialog} provider=${deleting} onClose=${() => setDeleting(null)}
                               onDeleted=${(p) => { showToast(`${p.name} deleted`, 'success'); setDeleting(null); reload(); }} />
    </section>
  `;
}
