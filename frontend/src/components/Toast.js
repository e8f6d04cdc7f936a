// Short notices in the corner of the screen: "Saved", "Sync started", "Could not reach the server".
//
//   import { showToast } from '../components/Toast.js';
//   showToast('Provider saved', 'success');      // kind: 'info' (default) | 'success' | 'error'
//
// No setup needed: the first call mounts one toast region at the end of <body>. Info and success
// toasts are announced politely (role="status") and leave after a few seconds; error toasts are
// announced at once (role="alert") and stay until dismissed with their × button.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';

const KINDS = new Set(['info', 'success', 'error']);
const LINGER_MS = 5000;

let toasts = [];
let nextId = 0;
const listeners = new Set();
let mounted = false;

function publish(next) {
  toasts = next;
  listeners.forEach((listener) => listener(toasts));
}

export function dismissToast(id) {
  publish(toasts.filter((toast) => toast.id !== id));
}

export function showToast(message, kind = 'info') {
  ensureRegion();
  const toast = { id: (nextId += 1), message: String(message), kind: KINDS.has(kind) ? kind : 'info' };
  publish([...toasts, toast]);
  if (toast.kind !== 'error') setTimeout(() => dismissToast(toast.id), LINGER_MS);
  return toast.id;
}

function ToastRegion() {
  const [items, setItems] = useState(toasts);
  useEffect(() => {
    listeners.add(setItems);
    setItems(toasts); // toasts shown before this effect ran
    return () => listeners.delete(setItems);
  }, []);
  return html`
    <div class="toast-region" aria-live="polite">
      ${items.map((toast) => html`
        <div key=${toast.id} class=${`toast toast-${toast.kind}`}
             role=${toast.kind === 'error' ? 'alert' : 'status'}>
          <span class="toast-message">${toast.message}</span>
          <button type="button" class="icon-button" aria-label="Dismiss"
                  onClick=${() => dismissToast(toast.id)}>×</button>
        </div>
      `)}
    </div>
  `;
}

function ensureRegion() {
  if (mounted) return;
  mounted = true;
  const host = document.createElement('div');
  host.className = 'toast-host';
  document.body.appendChild(host);
  render(html`<${ToastRegion} />`, host);
}
