// A facade's status as a badge: draft, active or disabled.
import { html } from '../html.js';

export function FacadeStatusBadge({ status }) {
  return html`<span class=${`badge facade-status ${status}`}>${status}</span>`;
}
