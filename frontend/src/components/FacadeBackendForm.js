// The Add backend / Edit backend dialog: Provider → Provider Model (only those of the facade's
// kind, from GET /api/admin/facades/{slug}/backend-candidates), priority, and optional defaults.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import { Modal } from './Modal.js';
import { ProviderFormField, fieldErrors } from './ProviderFormField.js';

const DEFAULTS = ['temperature', 'max_tokens', 'top_p', 'top_k'];

function initialValues(backend) {
  const values = {
    provider_id: backend ? String(backend.provider.id) : '',
    provider_model_id: backend ? String(backend.provider_model.id) : '',
    priority: backend ? String(backend.priority) : '0',
    stop: backend && backend.defaults.stop ? backend.defaults.stop.join('\n') : '',
  };
  DEFAULTS.forEach((name) => {
    const value = backend ? backend.defaults[name] : null;
    values[name] = value === null || value === undefined ? '' : String(value);
  });
  return values;
}

function requestBody(values) {
  const body = { provider_model_id: Number(values.provider_model_id), priority: Number(values.priority || 0) };
  DEFAULTS.forEach((name) => {
    const value = values[name].trim();
    body[name] = value === '' ? null : Number(value);
  });
  const stops = values.stop.split('\n').map((line) => line.trim()).filter(Boolean);
  body.stop = stops.length ? stops : null;
  return body;
}

function priceText(model) {
  const price = (value) => (value === null || value === undefined ? 'unknown' : `$${value}`);
  return `${price(model.input_per_1m)} in / ${price(model.output_per_1m)} out per 1M`;
}

export function FacadeBackendForm({ open, facade, backend, onClose, onSaved }) {
  const editing = Boolean(backend);
  const [values, setValues] = useState(initialValues(backend));
  const [candidates, setCandidates] = useState([]);
  const [error, setError] = useState(null);

  useEffect(() => {
    if (!open) return;
    setValues(initialValues(backend));
    setError(null);
    api.get(`/api/admin/facades/${encodeURIComponent(facade.slug)}/backend-candidates`)
      .then(setCandidates, setError);
  }, [open, backend, facade.slug]);

  const errors = fieldErrors(error);
  const set = (name) => (event) => setValues({ ...values, [name]: event.currentTarget.value });
  const provider = candidates.find((c) => String(c.id) === values.provider_id);
  const models = provider ? provider.provider_models : [];
  const chosen = models.find((m) => String(m.id) === values.provider_model_id);

  const submit = async (event) => {
    event.preventDefault();
    const base = `/api/admin/facades/${encodeURIComponent(facade.slug)}/backends`;
    try {
      const body = requestBody(values);
      onSaved(editing ? await api.patch(`${base}/${backend.id}`, body) : await api.post(base, body));
    } catch (caught) {
      setError(caught);
    }
  };

  return html`
    <${Modal} open=${open} title=${editing ? 'Edit backend' : 'Add backend'} onClose=${onClose}
              actions=${html`<button type="submit" form="backend-form" class="button primary">${editing ? 'Save' : 'Add backend'}</button>`}>
      <form id="backend-form" class="form-grid" onSubmit=${submit} novalidate>
        ${error && html`<p class="notice error" role="alert">${error.message}</p>`}
        <h3 class="form-section">Wiring</h3>
        <div class="field">
          <label for="field-provider">Provider *</label>
          <select id="field-provider" value=${values.provider_id}
                  onChange=${(event) => setValues({ ...values, provider_id: event.currentTarget.value, provider_model_id: '' })}>
            <option value="">Choose a provider</option>
            ${candidates.map((c) => html`<option key=${c.id} value=${String(c.id)} disabled=${Boolean(c.unsupported_reason)}>${c.name}${c.unsupported_reason ? ' (not routable)' : ''}</option>`)}
          </select>
          ${provider && provider.unsupported_reason && html`<span class="hint">${provider.unsupported_reason}</span>`}
          ${candidates.length === 0 && html`<span class="hint">No provider has a ${facade.kind} Provider Model yet: add one on the Providers page.</span>`}
        </div>
        <div class="field">
          <label for="field-provider_model_id">Provider Model *</label>
          <select id="field-provider_model_id" value=${values.provider_model_id} disabled=${!provider}
                  aria-invalid=${errors.provider_model_id ? 'true' : null} onChange=${set('provider_model_id')}>
            <option value="">Choose a ${facade.kind} model</option>
            ${models.map((m) => html`<option key=${m.id} value=${String(m.id)}>${m.upstream_model_id}${m.status !== 'active' ? ` (${m.status})` : ''}</option>`)}
          </select>
          ${chosen && html`<span class="hint">Pricing: ${priceText(chosen)}</span>`}
          ${errors.provider_model_id && html`<span class="field-error">${[].concat(errors.provider_model_id).join(' ')}</span>`}
        </div>
        <h3 class="form-section">Routing & defaults</h3>
        <${ProviderFormField} name="priority" label="Priority" type="number" value=${values.priority} errors=${errors}
                              hint="Lower numbers are tried first." onInput=${set('priority')} />
        <${ProviderFormField} name="temperature" label="Temperature" type="number" value=${values.temperature}
                              errors=${errors} hint="0 to 2" onInput=${set('temperature')} />
        <${ProviderFormField} name="max_tokens" label="Max tokens" type="number" value=${values.max_tokens}
                              errors=${errors} onInput=${set('max_tokens')} />
        <${ProviderFormField} name="top_p" label="Top P" type="number" value=${values.top_p} errors=${errors}
                              hint="0 to 1" onInput=${set('top_p')} />
        <${ProviderFormField} name="top_k" label="Top K" type="number" value=${values.top_k} errors=${errors}
                              hint="Honored only by Anthropic-family models; OpenAI-compatible upstreams ignore it."
                              onInput=${set('top_k')} />
        <div class="field">
          <label for="field-stop">Stop sequences</label>
          <textarea id="field-stop" rows="3" value=${values.stop} onInput=${set('stop')}></textarea>
          <span class="hint">One per line, at most 4.</span>
          ${errors.stop && html`<span class="field-error">${[].concat(errors.stop).join(' ')}</span>`}
        </div>
        <p class="hint">Clients can override each default per request; a default applies only when the request leaves it out.</p>
      </form>
    </${Modal}>
  `;
}
