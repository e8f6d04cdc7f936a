// The Add custom model / Edit Provider Model dialog. Prices are USD per 1M tokens and are sent as
// the typed text, so the server parses them as exact decimals; an empty price means unknown.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { Modal } from './Modal.js';
import { ProviderFormField, fieldErrors } from './ProviderFormField.js';

const NUMBERS = ['context_window', 'input_price_per_1m', 'output_price_per_1m'];

function initialValues(model) {
  const values = { upstream_model_id: model ? model.upstream_model_id : '', kind: model ? model.kind : 'chat' };
  NUMBERS.forEach((name) => {
    values[name] = model && model[name] !== null && model[name] !== undefined ? String(model[name]) : '';
  });
  return values;
}

function requestBody(values, editing) {
  const body = editing ? {} : { upstream_model_id: values.upstream_model_id.trim(), kind: values.kind };
  NUMBERS.forEach((name) => {
    const value = values[name].trim();
    body[name] = value === '' ? null : value;
  });
  return body;
}

export function ProviderModelForm({ open, providerId, model, onClose, onSaved }) {
  const editing = Boolean(model);
  const [values, setValues] = useState(initialValues(model));
  const [error, setError] = useState(null);

  useEffect(() => {
    if (open) {
      setValues(initialValues(model));
      setError(null);
    }
  }, [open, model]);

  const errors = fieldErrors(error);
  const set = (name) => (event) => setValues({ ...values, [name]: event.currentTarget.value });
  const base = `/api/admin/providers/${providerId}/models`;

  const submit = async (event) => {
    event.preventDefault();
    try {
      const body = requestBody(values, editing);
      onSaved(editing ? await api.patch(`${base}/${model.id}`, body) : await api.post(base, body));
    } catch (caught) {
      setError(caught);
    }
  };

  return html`
    <${Modal} open=${open} title=${editing ? `Edit ${model.upstream_model_id}` : 'Add custom model'} onClose=${onClose}
              actions=${html`<button type="submit" form="provider-model-form" class="button primary">${editing ? 'Save' : 'Add model'}</button>`}>
      <form id="provider-model-form" class="form-grid" onSubmit=${submit} novalidate>
        ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
        ${!editing && html`
          <${ProviderFormField} name="upstream_model_id" label="Upstream model ID" required
                                value=${values.upstream_model_id} errors=${errors} onInput=${set('upstream_model_id')}
                                placeholder="e.g. gpt-4o-2024-08-06" />
          <div class="field">
            <label for="field-model-kind">Kind</label>
            <select id="field-model-kind" name="kind" value=${values.kind} onChange=${set('kind')}>
              <option value="chat">chat</option>
              <option value="embedding">embedding</option>
            </select>
            ${errors.kind && html`<span class="field-error">${errors.kind.join(' ')}</span>`}
          </div>`}
        <${ProviderFormField} name="context_window" label="Context window (tokens)" value=${values.context_window}
                              errors=${errors} onInput=${set('context_window')} placeholder="e.g. 128000" />
        <${ProviderFormField} name="input_price_per_1m" label="Input price (USD per 1M tokens)" value=${values.input_price_per_1m}
                              errors=${errors} onInput=${set('input_price_per_1m')} hint="Empty means unknown, never zero." />
        <${ProviderFormField} name="output_price_per_1m" label="Output price (USD per 1M tokens)" value=${values.output_price_per_1m}
                              errors=${errors} onInput=${set('output_price_per_1m')} />
      </form>
    </${Modal}>
  `;
}
