// The three sections of a catalog preview: new, updated (field before → after), deprecated.
//
//   <${CatalogDiffView} preview=${preview} />     // preview = POST /admin/catalog/preview's answer
//
// Each section is a <details> the admin expands to see the exact provider_kind/upstream_model_id
// pairs; prices are the server's exact decimal strings, per 1M tokens.
import { html } from '../html.js';

function Section({ kind, title, count, children }) {
  return html`
    <details class=${`diff-section diff-${kind}`}>
      <summary><span class="diff-title">${title}</span> <span class="badge">${count}</span></summary>
      ${count === 0 ? html`<p class="muted">None.</p>` : html`<ul class="diff-list">${children}</ul>`}
    </details>
  `;
}

function shown(value) {
  return value === null || value === undefined || value === '' ? '—' : value;
}

function FieldChange({ change }) {
  return html`
    <li class="diff-field">
      <span class="diff-label">${change.label}</span>
      <span class="mono diff-before">${shown(change.before)}</span>
      <span aria-hidden="true"> → </span>
      <span class="visually-hidden"> becomes </span>
      <span class="mono diff-after">${shown(change.after)}</span>
    </li>
  `;
}

export function CatalogDiffView({ preview }) {
  const { counts } = preview;
  return html`
    <div class="catalog-diff">
      <p class="muted">
        ${preview.base_version || 'empty catalog'} → ${preview.source === 'revert'
          ? `a new version restoring ${preview.revert_to}` : preview.candidate_version}:
        ${preview.rows_changed} row${preview.rows_changed === 1 ? '' : 's'} would change,
        ${counts.unchanged} unchanged.
      </p>
      <${Section} kind="new" title="New" count=${counts.new}>
        ${preview.new.map((entry) => html`<li key=${entry.name} class="mono">${entry.name}</li>`)}
      </${Section}>
      <${Section} kind="updated" title="Updated" count=${counts.updated}>
        ${preview.updated.map((entry) => html`
          <li key=${entry.name}>
            <span class="mono">${entry.name}</span>
            <ul class="diff-fields">${entry.changes.map((change) => html`<${FieldChange} key=${change.field} change=${change} />`)}</ul>
          </li>
        `)}
      </${Section}>
      <${Section} kind="deprecated" title="Deprecated" count=${counts.deprecated}>
        ${preview.deprecated.map((entry) => html`<li key=${entry.name} class="mono">${entry.name}</li>`)}
      </${Section}>
    </div>
  `;
}
