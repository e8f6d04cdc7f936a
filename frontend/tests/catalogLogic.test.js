// The catalog browser's pure logic, run with `node --test frontend/tests/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  capabilityList,
  decimalText,
  deprecationText,
  filterRows,
  formatPrice,
  formatTokens,
  groupByProvider,
  modalitiesText,
  modelKey,
  providersOf,
} from '../src/catalogLogic.js';

// Rows as the API serves them (JSON.parse of its exact-decimal numbers).
const ROWS = JSON.parse(`[
  {"provider":"openai","model":"gpt-4o","model_name":"OpenAI: GPT-4o","family":"gen","components":["GEN"],
   "input_per_1m":2.5,"output_per_1m":10,"context":128000,"deprecated":false,"deprecated_on":null,
   "input_modalities":["text","image"],"output_modalities":["text"],
   "capabilities":{"streaming":true,"vision":true,"tools":true,"reasoning":false}},
  {"provider":"openai","model":"gpt-3.5-turbo-0301","model_name":"OpenAI: GPT-3.5 Turbo (0301)","family":"gen",
   "components":["GEN"],"input_per_1m":1.5,"output_per_1m":2,"deprecated":true,"deprecated_on":"2026-01-02"},
  {"provider":"anthropic","model":"claude-sonnet-4","model_name":"<b>Anthropic</b>: Claude Sonnet 4","family":"gen",
   "components":["GEN"],"input_per_1m":3,"output_per_1m":15,"deprecated":false},
  {"provider":"voyage","model":"voyage-3-large","model_name":"Voyage 3 Large","family":"emb","components":["EMB"],
   "input_per_1m":0.18,"output_per_1m":null,"deprecated":false},
  {"provider":"cohere","model":"rerank-v3.5","model_name":"Cohere Rerank 3.5","family":"rerank",
   "components":["RERANK"],"input_per_1m":null,"output_per_1m":null,"deprecated":false}
]`);

const keys = (rows) => rows.map(modelKey);

test('prices print exactly as the API sent them', () => {
  const parsed = JSON.parse('[2.5, 10, 0.18, 0.0000025, 0.00000018, 0.0003, 1.2, 0.075, 123456.789]');
  assert.deepEqual(parsed.map(decimalText),
    ['2.5', '10', '0.18', '0.0000025', '0.00000018', '0.0003', '1.2', '0.075', '123456.789']);
});

test('binary float noise never reaches the screen', () => {
  assert.equal(decimalText(0.1 + 0.2), '0.3');
  assert.equal(decimalText(1.1 * 3), '3.3');
  assert.equal(decimalText(0.0003 * 1000), '0.3');
  assert.equal(formatPrice(0.1 + 0.2), '$0.30');
});

test('a price shows at least cents and keeps every significant digit', () => {
  assert.equal(formatPrice(2.5), '$2.50');
  assert.equal(formatPrice(10), '$10.00');
  assert.equal(formatPrice(0.00018), '$0.00018');
  assert.equal(formatPrice(1e-7), '$0.0000001');
  assert.equal(formatPrice(1e21), '$1000000000000000000000.00');
});

test('an unknown price reads "unknown", and only a real zero reads $0.00', () => {
  assert.equal(formatPrice(null), 'unknown');
  assert.equal(formatPrice(undefined), 'unknown');
  assert.equal(formatPrice(0), '$0.00');
  assert.equal(formatPrice(-0), '$0.00');
});

test('token counts get thousands separators and unknown stays unknown', () => {
  assert.equal(formatTokens(128000), '128,000');
  assert.equal(formatTokens(4096), '4,096');
  assert.equal(formatTokens(null), 'unknown');
});

test('deprecated rows are hidden until asked for', () => {
  assert.ok(!keys(filterRows(ROWS)).includes('openai/gpt-3.5-turbo-0301'));
  assert.ok(keys(filterRows(ROWS, { showDeprecated: true })).includes('openai/gpt-3.5-turbo-0301'));
});

test('rows come sorted by provider, then display name', () => {
  assert.deepEqual(keys(filterRows(ROWS)), [
    'anthropic/claude-sonnet-4', 'cohere/rerank-v3.5', 'openai/gpt-4o', 'voyage/voyage-3-large',
  ]);
});

test('the provider and type filters narrow the rows', () => {
  assert.deepEqual(keys(filterRows(ROWS, { provider: 'openai', showDeprecated: true })),
    ['openai/gpt-3.5-turbo-0301', 'openai/gpt-4o']);
  assert.deepEqual(keys(filterRows(ROWS, { type: 'EMB' })), ['voyage/voyage-3-large']);
  assert.deepEqual(keys(filterRows(ROWS, { type: 'RERANK', provider: 'openai' })), []);
});

test('search matches every term against names, provider and type, ignoring case', () => {
  assert.deepEqual(keys(filterRows(ROWS, { query: 'SONNET' })), ['anthropic/claude-sonnet-4']);
  assert.deepEqual(keys(filterRows(ROWS, { query: 'openai 4o' })), ['openai/gpt-4o']);
  assert.deepEqual(keys(filterRows(ROWS, { query: 'rerank' })), ['cohere/rerank-v3.5']);
  assert.equal(filterRows(ROWS, { query: '  ' }).length, 4);
  assert.deepEqual(keys(filterRows(ROWS, { query: 'no-such-model' })), []);
});

test('selectors group models by provider in display order', () => {
  const groups = groupByProvider(ROWS.filter((row) => row.components.includes('GEN')));
  assert.deepEqual(groups.map((group) => group.provider), ['anthropic', 'openai']);
  assert.deepEqual(keys(groups[1].models), ['openai/gpt-3.5-turbo-0301', 'openai/gpt-4o']);
});

test('providers are listed once each, sorted', () => {
  assert.deepEqual(providersOf(ROWS), ['anthropic', 'cohere', 'openai', 'voyage']);
});

test('details describe capabilities, modalities and deprecation in words', () => {
  assert.equal(capabilityList(ROWS[0]), 'streaming, vision, tools');
  assert.equal(capabilityList(ROWS[2]), 'none');
  assert.equal(modalitiesText(ROWS[0]), 'text, image → text');
  assert.equal(modalitiesText(ROWS[2]), 'unknown');
  assert.equal(deprecationText(ROWS[0]), 'Active');
  assert.equal(deprecationText(ROWS[1]), 'Deprecated since 2026-01-02');
});
