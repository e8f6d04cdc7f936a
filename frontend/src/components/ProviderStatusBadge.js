// A provider's or Provider Model's status as a badge: active or disabled.
import { html } from '../html.js';

export function ProviderStatusBadge({ status }) {
  return html`<span class=${`badge status-${status}`}>${status}</span>`;
}
