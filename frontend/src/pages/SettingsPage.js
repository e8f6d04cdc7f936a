// Settings: the Model Catalog card (current, source, bundled, newer available), the reviewed sync
// (preview in a modal, nothing written until Apply), the remote feed, and every applied version.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { AdminKeyPrompt, needsAdminKey } from '../components/AdminKeyPrompt.js';
import { CatalogDiffView } from '../components/CatalogDiffView.js';
import { Modal } from '../components/Modal.js';
import { showToast } from '../components/Toast.js';

const ORIGIN_TITLES = { bundled: 'Sync from bundled', remote: 'Sync from the remote feed', revert: 'Revert' };

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function LastApplied({ last }) {
  if (!last) return html`<dd>Never</dd>`;
  const how = [last.kind, last.trigger && `via ${last.trigger}`, last.origin && `from ${last.origin}`]
    .filter(Boolean).join(' ');
  return html`<dd><span class="mono">${last.at}</span> <span class="muted">${how}</span></dd>`;
}

function FeedFetch({ fetch }) {
  if (!fetch) return html`<dd>Never fetched</dd>`;
  const verdict = fetch.status === 'rejected' ? `rejected (${fetch.reason}): ${fetch.message}` : fetch.status;
  return html`<dd class=${fetch.status === 'rejected' ? 'form-error' : ''}>
    ${verdict}${fetch.version ? ` · ${fetch.version}` : ''} <span class="muted">${fetch.fetched_at}</span></dd>`;
}

function CatalogCard({ settings, busy, onPreview, onFetch }) {
  return html`
    <section class="panel catalog-card" aria-labelledby="catalog-card-title">
      <header class="card-header">
        <h2 id="catalog-card-title">Model Catalog</h2>
        ${settings.newer_available && html`<span class="badge newer">newer available</span>`}
      </header>
      <dl class="details-list">
        <dt>Current version</dt><dd class="mono" data-field="current">${settings.current_version || 'none'}</dd>
        <dt>Source</dt><dd class="mono" data-field="source">${settings.source}</dd>
        <dt>Bundled in binary</dt>
        <dd class="mono" data-field="bundled">${settings.bundled_version || settings.bundled_error || 'none'}</dd>
        <dt>Last applied</dt><${LastApplied} last=${settings.last_applied} />
        ${settings.remote_enabled && html`
          <dt>Pending remote</dt>
          <dd class="mono">${settings.pending_remote ? settings.pending_remote.version : 'none'}</dd>
          <dt>Last fetch</dt><${FeedFetch} fetch=${settings.last_remote_fetch} />
        `}
      </dl>
      <div class="form-actions">
        ${settings.remote_enabled && html`
          <button type="button" class="button" disabled=${busy} onClick=${onFetch}>Fetch remote feed</button>
          <button type="button" class="button" disabled=${busy || !settings.pending_remote}
                  onClick=${() => onPreview({ source: 'remote' })}>Sync from remote</button>
        `}
        <button type="button" class="button primary" disabled=${busy || !settings.bundled_version}
                onClick=${() => onPreview({ source: 'bundled' })}>Sync from bundled</button>
      </div>
    </section>
  `;
}

function VersionsTable({ versions, busy, onRevert }) {
  return html`
    <section class="panel" aria-labelledby="versions-title">
      <h2 id="versions-title">Applied versions</h2>
      <div class="table-wrap">
        <table class="data-table">
          <thead><tr><th scope="col">Version</th><th scope="col">Source</th><th scope="col">Applied</th>
            <th scope="col" class="num">New</th><th scope="col" class="num">Updated</th>
            <th scope="col" class="num">Deprecated</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            ${versions.map((v) => html`
              <tr key=${v.version}>
                <td class="mono">${v.version}${v.current ? ' (current)' : ''}</td>
                <td>${v.source} <span class="muted">${v.trigger}</span></td>
                <td class="mono">${v.created_at}</td>
                <td class="num">${v.rows_new}</td><td class="num">${v.rows_updated}</td>
                <td class="num">${v.rows_deprecated}</td>
                <td>${v.revertable && html`<button type="button" class="button" disabled=${busy}
                      onClick=${() => onRevert(v.version)}>Revert to ${v.version}</button>`}</td>
              </tr>
            `)}
          </tbody>
        </table>
      </div>
    </section>
  `;
}

export function SettingsPage() {
  const [settings, setSettings] = useState(null);
  const [versions, setVersions] = useState([]);
  const [error, setError] = useState(null);
  const [preview, setPreview] = useState(null);
  const [previewError, setPreviewError] = useState(null);
  const [busy, setBusy] = useState(false);

  const load = () => {
    setError(null);
    Promise.all([api.get('/admin/catalog'), api.get('/admin/catalog/versions')])
      .then(([card, list]) => { setSettings(card); setVersions(list); })
      .catch(setError);
  };
  useEffect(load, []);

  const run = async (work) => {
    setBusy(true);
    try { await work(); } finally { setBusy(false); }
  };

  const openPreview = (request) => run(async () => {
    setPreviewError(null);
    try {
      setPreview(await api.post('/admin/catalog/preview', request));
    } catch (failure) {
      showToast(`Could not preview: ${failure.message}`, 'error');
    }
  });

  const apply = () => run(async () => {
    try {
      const result = await api.post('/admin/catalog/apply', { preview_id: preview.id });
      setPreview(null);
      showToast(result.applied
        ? `Applied catalog ${result.version}: ${plural(result.rows_changed, 'row')} changed`
        : `Nothing to apply; the catalog is already ${result.version}`, 'success');
      load();
    } catch (failure) {
      setPreviewError(failure.status === 409 ? `${failure.message}` : `Apply failed: ${failure.message}`);
    }
  });

  const fetchRemote = () => run(async () => {
    try {
      const fetched = await api.post('/admin/catalog/remote/fetch');
      showToast(`Remote feed ${fetched.status}${fetched.version ? `: ${fetched.version}` : ''}`, 'success');
    } catch (failure) {
      showToast(`Remote feed not accepted: ${failure.message}`, 'error');
    }
    load();
  });

  if (error && needsAdminKey(error)) {
    return html`<${AdminKeyPrompt} rejected=${error.status === 401} onSaved=${load} />`;
  }
  if (error) return html`<p class="notice error">Could not load the settings: ${error.message}</p>`;
  if (!settings) return html`<p class="loading">Loading settings…</p>`;

  const title = preview && (preview.source === 'revert'
    ? `Revert to ${preview.revert_to}` : `${ORIGIN_TITLES[preview.source]} ${preview.candidate_version}`);
  return html`
    <section>
      <header class="page-header"><div><h1>Settings</h1>
        <p class="muted">Catalog versions: review every change before it lands. Provider Models are never touched.</p></div></header>
      <${CatalogCard} settings=${settings} busy=${busy} onPreview=${openPreview} onFetch=${fetchRemote} />
      <${VersionsTable} versions=${versions} busy=${busy}
        onRevert=${(version) => openPreview({ source: 'revert', version })} />
      <${Modal} open=${Boolean(preview)} title=${title || ''} onClose=${() => setPreview(null)}
        actions=${preview && html`<button type="button" class="button primary" disabled=${busy}
          onClick=${apply}>Apply</button>`}>
        ${previewError && html`<p class="notice error" role="alert">${previewError}</p>`}
        ${preview && html`<${CatalogDiffView} preview=${preview} />`}
      </${Modal}>
    </section>
  `;
}
