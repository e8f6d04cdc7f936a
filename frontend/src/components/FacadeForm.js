// The Add model / Edit model dialog of a facade: slug, display name and (on creation only) kind.
// The slug rule is checked as you type; the server checks it again and has the last word.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { Modal } from './Modal.js';
import { ProviderFormField, fieldErrors } from './ProviderFormField.js';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SLUG_HINT = 'Lowercase letters, digits and hyphens, e.g. claude-haiku-3-5.';

export function slugProblem(slug) {
  if (!slug) return '';
  return SLUG.test(slug) ? '' : 'Use only lowercase letters, digits and single hyphens between them.';
}

export function FacadeForm({ open, facade, onClose, onSaved }) {
  const editing = Boolean(facade);
  const [values, setValues] = useState({ slug: '', name: '', kind: 'chat' });
  const [error, setError] = useState(null);

  useEffect(() => {
    if (open) {
      setValues(facade ? { slug: facade.slug, name: facade.name, kind: facade.kind } : { slug: '', name: '', kind: 'chat' });
      setError(null);
    }
  }, [open, facade]);

  const errors = { ...fieldErrors(error) };
  const local = slugProblem(values.slug);
  if (local) errors.slug = [local];
  const set = (name) => (event) => setValues({ ...values, [name]: event.currentTarget.value });

  const submit = async (event) => {
    event.preventDefault();
    if (local) return;
    try {
      const body = { slug: values.slug.trim(), name: values.name.trim() };
      onSaved(editing
        ? await api.patch(`/api/admin/facades/${encodeURIComponent(facade.slug)}`, body)
        : await api.post('/api/admin/facades', { ...body, kind: values.kind }));
    } catch (caught) {
      setError(caught);
    }
  };

  return html`
    <${Modal} open=${open} title=${editing ? `Edit ${facade.slug}` : 'New model'} onClose=${onClose}
              actions=${html`<button type="submit" form="facade-form" class="button primary">${editing ? 'Save' : 'Add model'}</button>`}>
      <form id="facade-form" class="form-grid" onSubmit=${submit} novalidate>
        ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
        <${ProviderFormField} name="slug" label="Slug" required value=${values.slug} errors=${errors}
                              hint=${SLUG_HINT} onInput=${set('slug')} />
        <${ProviderFormField} name="name" label="Display name" required value=${values.name} errors=${errors}
                              onInput=${set('name')} />
        <div class="field">
          <label for="field-kind">Kind</label>
          <select id="field-kind" name="kind" value=${values.kind} disabled=${editing} onChange=${set('kind')}>
            <option value="chat">Chat</option>
            <option value="embedding">Embedding</option>
          </select>
          <span class="hint">${editing ? 'The kind is fixed after creation.' : 'Fixed after creation.'}</span>
        </div>
      </form>
    </${Modal}>
  `;
}
