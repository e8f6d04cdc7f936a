// The Add provider / Edit provider dialog. Its fields follow the chosen kind's spec from
// GET /api/admin/provider-kinds; the server validates them and its field errors show in place.
// The credential input is write-only: on edit it starts empty, and leaving it empty keeps the
// stored credential.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { Modal } from './Modal.js';
import { ProviderFormField, fieldErrors } from './ProviderFormField.js';

const CONFIG_FIELDS = ['base_url', 'organization', 'region', 'api_version', 'project'];

function initialValues(provider) {
  const values = { kind: provider ? provider.kind : 'openai', name: provider ? provider.name : '', credential: '' };
  CONFIG_FIELDS.forEach((name) => { values[name] = (provider && provider[name]) || ''; });
  return values;
}

// Only the kind's own fields are sent; on edit an emptied optional field is cleared (null).
function requestBody(values, kind, editing) {
  const body = { name: values.name.trim() };
  if (!editing) body.kind = values.kind;
  if (values.credential.trim()) body.credential = values.credential;
  kind.fields.forEach((field) => {
    const value = values[field.name].trim();
    if (value) body[field.name] = value;
    else if (editing) body[field.name] = null;
  });
  return body;
}

export function ProviderForm({ open, provider, kinds, onClose, onSaved }) {
  const editing = Boolean(provider);
  const [values, setValues] = useState(initialValues(provider));
  const [error, setError] = useState(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) {
      setValues(initialValues(provider));
      setError(null);
    }
  }, [open, provider]);

  const kind = kinds.find((k) => k.kind === values.kind) || { fields: [], credential_label: 'API key', credential_required: true };
  const errors = fieldErrors(error);
  const set = (name) => (event) => setValues({ ...values, [name]: event.currentTarget.value });

  const submit = async (event) => {
    event.preventDefault();
    setSaving(true);
    try {
      const body = requestBody(values, kind, editing);
      const saved = editing
        ? await api.patch(`/api/admin/providers/${provider.id}`, body)
        : await api.post('/api/admin/providers', body);
      setValues(initialValues(null));
      onSaved(saved);
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  const credentialHint = editing && provider.credential_prefix
    ? `Stored: ${provider.credential_prefix} (updated ${provider.credential_updated_at}). Leave empty to keep it.`
    : 'Write-only: after saving only its first characters are shown.';

  return html`
    <${Modal} open=${open} title=${editing ? `Edit ${provider.name}` : 'Add provider'} onClose=${onClose}
              actions=${html`<button type="submit" form="provider-form" class="button primary" disabled=${saving}>${editing ? 'Save' : 'Add provider'}</button>`}>
      <form id="provider-form" class="form-grid" onSubmit=${submit} novalidate>
        ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
        ${!editing && html`
          <div class="field">
            <label for="field-kind">Kind</label>
            <select id="field-kind" name="kind" value=${values.kind} onChange=${set('kind')}>
              ${kinds.map((k) => html`<option key=${k.kind} value=${k.kind}>${k.label}</option>`)}
            </select>
            ${errors.kind && html`<span class="field-error">${errors.kind.join(' ')}</span>`}
          </div>`}
        <${ProviderFormField} name="name" label="Name" value=${values.name} errors=${errors} required
                              onInput=${set('name')} placeholder="e.g. Azure EU production" />
        <fieldset class="form-section">
          <legend>Credentials</legend>
          <${ProviderFormField} name="credential" label=${kind.credential_label} type="password"
                                value=${values.credential} errors=${errors} onInput=${set('credential')}
                                required=${kind.credential_required && !editing}
                                autocomplete="new-password" hint=${credentialHint} />
        </fieldset>
        ${kind.fields.length > 0 && html`
          <fieldset class="form-section">
            <legend>Configuration</legend>
            ${kind.fields.map((field) => html`
              <${ProviderFormField} key=${field.name} name=${field.name} label=${field.label}
                                    value=${values[field.name]} errors=${errors} required=${field.required}
                                    placeholder=${field.placeholder} onInput=${set(field.name)} />`)}
          </fieldset>`}
      </form>
    </${Modal}>
  `;
}
