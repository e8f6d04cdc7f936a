// One labelled form field with the server's error for it, and the helper that reads those errors.
//
//   const errors = fieldErrors(apiError);   // { name: ['Missing data for required field.'] }
//   <${ProviderFormField} name="name" label="Name" value=${v} errors=${errors} onInput=${set('name')} />
//
// Marshmallow's schema errors arrive under `errors.json`, the service's per-kind errors at
// `errors` itself; both are flattened to field -> messages.
import { html } from '../html.js';

export function fieldErrors(error) {
  if (!error || !error.errors) return {};
  const errors = error.errors.json || error.errors;
  return typeof errors === 'object' ? errors : {};
}

export function ProviderFormField({ name, label, value, errors = {}, onInput, type = 'text',
  required = false, placeholder = '', autocomplete = 'off', hint = '' }) {
  const id = `field-${name}`;
  const messages = errors[name];
  return html`
    <div class="field">
      <label for=${id}>${label}${required ? ' *' : ''}</label>
      <input id=${id} name=${name} type=${type} value=${value} placeholder=${placeholder}
             autocomplete=${autocomplete} aria-invalid=${messages ? 'true' : null}
             aria-describedby=${messages ? `${id}-error` : null} onInput=${onInput} />
      ${hint && html`<span class="hint">${hint}</span>`}
      ${messages && html`<span id=${`${id}-error`} class="field-error">${[].concat(messages).join(' ')}</span>`}
    </div>
  `;
}
