// A plain, accessible table of rows, with optional row selection.
//
//   <${DataTable}
//     caption="Models"                          // optional, for screen readers (visually hidden)
//     columns=${[
//       { key: 'model', label: 'Model' },                              // cell text = row.model
//       { key: 'price', label: 'Input / 1M', align: 'right',
//         render: (row) => formatPrice(row.input_per_1m) },            // or a computed cell
//     ]}
//     rows=${models}
//     rowKey=${(row) => `${row.provider}/${row.model}`}
//     onRowClick=${(row) => select(row)}         // optional: rows become focusable, Enter selects
//     selectedKey=${selected}                    // optional: that row is highlighted (aria-current)
//     rowClass=${(row) => (row.deprecated ? 'is-deprecated' : '')}   // optional
//     empty="No models match these filters."     // shown when rows is empty
//   />
//
// Cells are rendered as text (or whatever `render` returns as a Preact node), never as HTML.
import { html } from '../html.js';

function cellContent(column, row) {
  if (column.render) return column.render(row);
  const value = row[column.key];
  return value === null || value === undefined ? '' : String(value);
}

function alignClass(column) {
  return column.align === 'right' ? 'num' : '';
}

export function DataTable({ caption, columns, rows, rowKey, onRowClick, selectedKey, rowClass, empty }) {
  const interactive = Boolean(onRowClick);
  const onKeyDown = (row) => (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onRowClick(row);
    }
  };
  return html`
    <div class="table-wrap">
      <table class=${interactive ? 'data-table interactive' : 'data-table'}>
        ${caption && html`<caption class="visually-hidden">${caption}</caption>`}
        <thead>
          <tr>${columns.map((column) => html`<th key=${column.key} scope="col" class=${alignClass(column)}>${column.label}</th>`)}</tr>
        </thead>
        <tbody>
          ${rows.length === 0 && html`<tr><td class="empty" colspan=${columns.length}>${empty || 'Nothing to show.'}</td></tr>`}
          ${rows.map((row) => {
            const key = rowKey(row);
            const classes = [rowClass ? rowClass(row) : '', key === selectedKey ? 'is-selected' : '']
              .filter(Boolean).join(' ');
            return html`
              <tr key=${key} class=${classes || null}
                  tabIndex=${interactive ? 0 : null}
                  aria-current=${key === selectedKey ? 'true' : null}
                  onClick=${interactive ? () => onRowClick(row) : null}
                  onKeyDown=${interactive ? onKeyDown(row) : null}>
                ${columns.map((column) => html`<td key=${column.key} class=${alignClass(column)}>${cellContent(column, row)}</td>`)}
              </tr>
            `;
          })}
        </tbody>
      </table>
    </div>
  `;
}
