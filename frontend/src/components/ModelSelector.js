// A labelled <select> of catalog models, grouped by provider.
//
//   <${ModelSelector} id="selector-gen" label="Generation model" placeholder="Choose a generation model"
//                     rows=${genRows} value=${modelKey(row) or ''} onChange=${(row) => …} />
//
// - `rows` are API rows (null while loading: the select is disabled and says so).
// - `onChange(row)` receives the chosen row, or null when the placeholder is chosen again.
// Option labels are the models' display names, set as text.
import { html } from '../html.js';
import { groupByProvider, modelKey } from '../catalogLogic.js';

export function ModelSelector({ id, label, placeholder, rows, value, onChange }) {
  const loading = rows === null;
  const onSelect = (event) => {
    const key = event.currentTarget.value;
    onChange((rows || []).find((row) => modelKey(row) === key) || null);
  };
  return html`
    <div class="field">
      <label for=${id}>${label}</label>
      <select id=${id} aria-describedby=${`${id}-hint`} value=${value}
              disabled=${loading || rows.length === 0} onChange=${onSelect}>
        <option value="">
          ${loading ? 'Loading…' : rows.length === 0 ? 'No models in the catalog' : placeholder}
        </option>
        ${!loading && groupByProvider(rows).map((group) => html`
          <optgroup key=${group.provider} label=${group.provider}>
            ${group.models.map((row) => html`
              <option key=${modelKey(row)} value=${modelKey(row)}>${row.model_name || row.model}</option>
            `)}
          </optgroup>
        `)}
      </select>
      <span id=${`${id}-hint`} class="hint">${loading ? '' : `${rows.length} available`}</span>
    </div>
  `;
}
