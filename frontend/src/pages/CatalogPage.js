// The catalog browser at "/": three model selectors (generation, embedding, reranker) filled from
// /api/models/by-type/…, a searchable, filterable table of every model, and one model's details.
// Runtime data comes from the API only, never from the mirror file models.json (seed 003).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html } from '../html.js';
import {
  COMPONENT_LABELS,
  COMPONENT_TYPES,
  filterRows,
  formatPrice,
  formatTokens,
  modelKey,
  providersOf,
} from '../catalogLogic.js';
import { DataTable } from '../components/DataTable.js';
import { ModelDetails } from '../components/ModelDetails.js';
import { ModelSelector } from '../components/ModelSelector.js';

const SELECTORS = [
  { type: 'GEN', label: 'Generation model', placeholder: 'Choose a generation model' },
  { type: 'EMB', label: 'Embedding model', placeholder: 'Choose an embedding model' },
  { type: 'RERANK', label: 'Reranker', placeholder: 'Choose a reranker' },
];

const NO_SELECTION = { GEN: '', EMB: '', RERANK: '' };

function Price({ value }) {
  return html`<span class=${value === null || value === undefined ? 'unknown' : ''}>${formatPrice(value)}</span>`;
}

function ModelCell({ row }) {
  return html`
    <span class="cell-title">${row.model_name || row.model}</span>
    <span class="cell-sub mono">${row.model}</span>
    ${row.deprecated && html`<span class="badge deprecated">deprecated</span>`}
  `;
}

const COLUMNS = [
  { key: 'model', label: 'Model', render: (row) => html`<${ModelCell} row=${row} />` },
  { key: 'provider', label: 'Provider' },
  {
    key: 'components',
    label: 'Type',
    render: (row) => html`<span class="badges">${row.components.map(
      (c) => html`<span key=${c} class=${`badge ${c.toLowerCase()}`}>${c}</span>`,
    )}</span>`,
  },
  { key: 'input_per_1m', label: 'Input / 1M', align: 'right', render: (row) => html`<${Price} value=${row.input_per_1m} />` },
  { key: 'output_per_1m', label: 'Output / 1M', align: 'right', render: (row) => html`<${Price} value=${row.output_per_1m} />` },
  { key: 'context', label: 'Context', align: 'right', render: (row) => formatTokens(row.context) },
];

// The whole catalog (deprecated rows included, hidden by the filter) and the per-type lists.
function useCatalog() {
  const [state, setState] = useState({ catalog: null, byType: null, error: null });
  useEffect(() => {
    Promise.all([
      api.get('/api/models?include_deprecated=true'),
      ...COMPONENT_TYPES.map((type) => api.get(`/api/models/by-type/${type}`)),
    ]).then(([catalog, ...lists]) => {
      const byType = Object.fromEntries(COMPONENT_TYPES.map((type, i) => [type, lists[i]]));
      setState({ catalog, byType, error: null });
    }, (error) => setState({ catalog: null, byType: null, error }));
  }, []);
  return state;
}

function Filters({ filters, providers, onChange }) {
  const set = (name) => (event) => {
    const input = event.currentTarget;
    onChange({ ...filters, [name]: input.type === 'checkbox' ? input.checked : input.value });
  };
  return html`
    <div class="filters" role="search">
      <div class="field search">
        <label for="catalog-search">Search</label>
        <input id="catalog-search" type="search" placeholder="Model, provider or type" value=${filters.query} onInput=${set('query')} />
      </div>
      <div class="field">
        <label for="catalog-provider">Provider</label>
        <select id="catalog-provider" value=${filters.provider} onChange=${set('provider')}>
          <option value="">All providers</option>
          ${providers.map((p) => html`<option key=${p} value=${p}>${p}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="catalog-type">Type</label>
        <select id="catalog-type" value=${filters.type} onChange=${set('type')}>
          <option value="">All types</option>
          ${COMPONENT_TYPES.map((t) => html`<option key=${t} value=${t}>${COMPONENT_LABELS[t]} (${t})</option>`)}
        </select>
      </div>
      <label class="field inline">
        <input type="checkbox" checked=${filters.showDeprecated} onChange=${set('showDeprecated')} />
        <span>Show deprecated</span>
      </label>
    </div>
  `;
}

export function CatalogPage() {
  const { catalog, byType, error } = useCatalog();
  const [filters, setFilters] = useState({ query: '', provider: '', type: '', showDeprecated: false });
  const [chosen, setChosen] = useState(NO_SELECTION);
  const [selected, setSelected] = useState(null);

  const choose = (type) => (row) => {
    setChosen({ ...chosen, [type]: row ? modelKey(row) : '' });
    if (row) setSelected(row);
  };

  if (error) {
    return html`<section><h1>Model catalog</h1>
      <p class="notice error" role="alert">Could not load the catalog: ${error.message}</p></section>`;
  }
  const rows = catalog ? filterRows(catalog.models, filters) : [];
  const activeCount = catalog ? catalog.models.filter((row) => !row.deprecated).length : 0;
  return html`
    <section>
      <header class="page-header">
        <div>
          <h1>Model catalog</h1>
          <p class="muted">
            ${catalog ? `Version ${catalog.version} · ${activeCount} active models` : 'Loading the catalog…'}
          </p>
        </div>
      </header>
      <div class="panel">
        <h2>Choose models</h2>
        <div class="selectors">
          ${SELECTORS.map((s) => html`
            <${ModelSelector} key=${s.type} id=${`selector-${s.type.toLowerCase()}`} label=${s.label} placeholder=${s.placeholder}
              rows=${byType ? byType[s.type] : null} value=${chosen[s.type]} onChange=${choose(s.type)} />
          `)}
        </div>
      </div>
      <div class="catalog-layout">
        <div>
          <${Filters} filters=${filters} providers=${catalog ? providersOf(catalog.models) : []} onChange=${setFilters} />
          <p class="result-count" aria-live="polite">
            ${catalog ? `${rows.length} ${rows.length === 1 ? 'model' : 'models'} shown` : ''}
          </p>
          <${DataTable} caption="Catalog models" columns=${COLUMNS} rows=${rows} rowKey=${modelKey}
            onRowClick=${setSelected} selectedKey=${selected ? modelKey(selected) : null}
            rowClass=${(row) => (row.deprecated ? 'is-deprecated' : '')}
            empty=${catalog ? 'No models match these filters.' : 'Loading…'} />
        </div>
        <${ModelDetails} row=${selected} />
      </div>
    </section>
  `;
}
