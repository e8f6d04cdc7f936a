// The delete confirmation: it asks the server what will go (GET …/delete-preview) and says so
// before anything is deleted. A provider that owns reference catalog rows cannot be deleted.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { Modal } from './Modal.js';

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function consequences(preview) {
  const facades = preview.facades.length ? ` (facades: ${preview.facades.join(', ')})` : '';
  return `Its ${plural(preview.provider_models, 'Provider Model')} and ${plural(preview.facade_backends, 'facade backend')}${facades} will be deleted with it.`;
}

export function ProviderDeleteDialog({ provider, onClose, onDeleted }) {
  const [preview, setPreview] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    setPreview(null);
    setError(null);
    if (provider) api.get(`/api/admin/providers/${provider.id}/delete-preview`).then(setPreview, setError);
  }, [provider]);

  const remove = async () => {
    try {
      await api.delete(`/api/admin/providers/${provider.id}`);
      onDeleted(provider);
    } catch (caught) {
      setError(caught);
    }
  };

  const blocked = preview && preview.blocked_reason;
  return html`
    <${Modal} open=${Boolean(provider)} title=${provider ? `Delete ${provider.name}?` : ''} onClose=${onClose}
              actions=${html`<button type="button" class="button danger" disabled=${!preview || blocked} onClick=${remove}>Delete provider</button>`}>
      ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
      ${!preview && !error && html`<p class="loading">Checking what would be deleted…</p>`}
      ${preview && blocked && html`<p class="notice error">This provider cannot be deleted: ${preview.blocked_reason}.</p>`}
      ${preview && !blocked && html`<p class="delete-consequences">${consequences(preview)} This cannot be undone.</p>`}
    </${Modal}>
  `;
}
