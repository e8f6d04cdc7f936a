// Confirms deleting a model facade, saying what goes (backends, grants) and what stays (usage).
import { api } from '../api.js';
import { html } from '../html.js';
import { Modal } from './Modal.js';
import { showToast } from './Toast.js';

export function FacadeDeleteDialog({ facade, onClose, onDeleted }) {
  const remove = async () => {
    try {
      await api.delete(`/api/admin/facades/${encodeURIComponent(facade.slug)}`);
      onDeleted(facade);
    } catch (caught) {
      showToast(caught.message, 'error');
    }
  };
  return html`
    <${Modal} open=${Boolean(facade)} title=${facade ? `Delete ${facade.slug}?` : ''} onClose=${onClose}
              actions=${html`<button type="button" class="button danger" onClick=${remove}>Delete</button>`}>
      ${facade && html`<p>Requests naming <code>${facade.slug}</code> will fail. Its ${facade.backend_count} backend(s)
        and access grants are removed; its usage history stays.</p>`}
    </${Modal}>
  `;
}
