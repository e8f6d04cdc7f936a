// Placeholder until the catalog browser lands.
import { html } from '../html.js';

export function CatalogPage() {
  return html`<section><h1>Catalog</h1></section>`;
}
