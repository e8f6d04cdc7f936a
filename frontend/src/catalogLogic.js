// The catalog browser's pure logic: filtering, grouping and formatting catalog rows.
// No DOM, no fetch — every function here takes plain data and returns plain data, so it is tested
// with Node's own test runner (frontend/tests/catalogLogic.test.js).

export const COMPONENT_TYPES = ['GEN', 'EMB', 'RERANK'];

export const COMPONENT_LABELS = {
  GEN: 'Generation',
  EMB: 'Embedding',
  RERANK: 'Reranker',
};

// Significant digits kept when turning a price back into text. The API's prices are exact
// decimals with far fewer digits; 15 is the most a double always carries exactly, so rounding
// to it recovers the decimal the server sent and drops binary noise like 0.30000000000000004.
const EXACT_DIGITS = 15;

export function modelKey(row) {
  return `${row.provider}/${row.model}`;
}

// "1.8e-7" -> "0.00000018", "1e+21" -> "1000000000000000000000": shift the point in the text.
function expandExponent(text) {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = '', exponentText] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

// The plain decimal text of a number from the API, without exponent or float artifacts.
export function decimalText(value) {
  const rounded = Number(value.toPrecision(EXACT_DIGITS));
  return expandExponent(String(rounded === 0 ? 0 : rounded));
}

// A USD price for people: "$2.50", "$0.00018", "$0.00"; a null price is "unknown", never $0.
export function formatPrice(value) {
  if (value === null || value === undefined) return 'unknown';
  const [whole, fraction = ''] = decimalText(value).split('.');
  return `$${whole}.${fraction.padEnd(2, '0')}`;
}

// A token count with thousands separators; null is "unknown".
export function formatTokens(value) {
  if (value === null || value === undefined) return 'unknown';
  return value.toLocaleString('en-US');
}

export function capabilityList(row) {
  const capabilities = row.capabilities || {};
  const names = Object.keys(capabilities).filter((name) => capabilities[name]);
  return names.length ? names.join(', ') : 'none';
}

export function modalitiesText(row) {
  const input = (row.input_modalities || []).join(', ');
  const output = (row.output_modalities || []).join(', ');
  if (!input && !output) return row.modality || 'unknown';
  return `${input || 'unknown'} → ${output || 'unknown'}`;
}

function byProviderThenName(a, b) {
  return a.provider.localeCompare(b.provider)
    || (a.model_name || a.model).localeCompare(b.model_name || b.model)
    || a.model.localeCompare(b.model);
}

export function sortRows(rows) {
  return [...rows].sort(byProviderThenName);
}

export function providersOf(rows) {
  return [...new Set(rows.map((row) => row.provider))].sort();
}

// Rows grouped by provider (providers and rows in display order), for a selector's optgroups.
export function groupByProvider(rows) {
  const groups = new Map();
  for (const row of sortRows(rows)) {
    if (!groups.has(row.provider)) groups.set(row.provider, []);
    groups.get(row.provider).push(row);
  }
  return [...groups].map(([provider, models]) => ({ provider, models }));
}

function matchesQuery(row, terms) {
  const haystack = [row.provider, row.model, row.model_name, row.family, ...(row.components || [])]
    .join(' ')
    .toLowerCase();
  return terms.every((term) => haystack.includes(term));
}

// The rows the table shows. `query` matches every whitespace-separated term against the
// provider, API name, display name, family and components; empty filters match everything.
export function filterRows(rows, { query = '', provider = '', type = '', showDeprecated = false } = {}) {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  return sortRows(rows.filter((row) => (showDeprecated || !row.deprecated)
    && (!provider || row.provider === provider)
    && (!type || (row.components || []).includes(type))
    && matchesQuery(row, terms)));
}

export function deprecationText(row) {
  if (!row.deprecated) return 'Active';
  return row.deprecated_on ? `Deprecated since ${row.deprecated_on}` : 'Deprecated';
}
