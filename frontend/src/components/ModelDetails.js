// Everything the catalog knows about one model, as a definition list.
//
//   <${ModelDetails} row=${row} />     // row: an API catalog row, or null for the empty state
//
// Every value is set as text; null prices read "unknown", never $0.
import { html } from '../html.js';
import { ModelHistory } from './ModelHistory.js';
import {
  COMPONENT_LABELS,
  capabilityList,
  deprecationText,
  formatPrice,
  formatTokens,
  modalitiesText,
} from '../catalogLogic.js';

function PriceValue({ value }) {
  return html`<span class=${value === null || value === undefined ? 'unknown' : ''}>${formatPrice(value)}</span>`;
}

function tokensText(count) {
  return count === null || count === undefined ? 'unknown' : `${formatTokens(count)} tokens`;
}

function priceEntries(row) {
  const entries = [
    ['Input / 1M', row.input_per_1m],
    ['Output / 1M', row.output_per_1m],
    ['Input / 1k', row.input_per_1k],
    ['Output / 1k', row.output_per_1k],
  ];
  if (row.cache_read_per_1m !== null && row.cache_read_per_1m !== undefined) {
    entries.push(['Cache read / 1M', row.cache_read_per_1m]);
  }
  if (row.cache_write_per_1m !== null && row.cache_write_per_1m !== undefined) {
    entries.push(['Cache write / 1M', row.cache_write_per_1m]);
  }
  return entries;
}

export function ModelDetails({ row }) {
  if (!row) {
    return html`
      <aside class="panel model-details" aria-label="Model details">
        <h2>Model details</h2>
        <p class="details-empty">Choose a model in a selector or click a row to see its details.</p>
      </aside>
    `;
  }
  const components = (row.components || []).map((c) => COMPONENT_LABELS[c] || c).join(', ');
  return html`
    <aside class="panel model-details" aria-label="Model details">
      <h2>${row.model_name || row.model}</h2>
      <dl class="details-list">
        <dt>Provider</dt><dd>${row.provider}</dd>
        <dt>API name</dt><dd class="mono">${row.model}</dd>
        <dt>Family</dt><dd>${row.family} (${components})</dd>
        <dt>Status</dt>
        <dd class=${row.deprecated ? 'form-error' : ''}>${deprecationText(row)}</dd>
        ${priceEntries(row).map(([label, value]) => html`
          <dt key=${`${label}-dt`}>${label}</dt><dd key=${`${label}-dd`}><${PriceValue} value=${value} /></dd>
        `)}
        ${row.pricing_unknown && html`<dt>Pricing</dt><dd class="unknown">not published upstream</dd>`}
        <dt>Context</dt><dd>${tokensText(row.context)}</dd>
        <dt>Max output</dt><dd>${tokensText(row.max_output_tokens)}</dd>
        <dt>Modalities</dt><dd>${modalitiesText(row)}</dd>
        <dt>Capabilities</dt><dd>${capabilityList(row)}</dd>
        <dt>Base URL</dt><dd class="mono">${row.base_url || 'unknown'}</dd>
        <dt>Source</dt><dd>${row.source || 'unknown'}</dd>
        <dt>Notes</dt><dd>${row.notes || '—'}</dd>
      </dl>
      <${ModelHistory} key=${`${row.provider}/${row.model}`} provider=${row.provider} model=${row.model} />
    </aside>
  `;
}
