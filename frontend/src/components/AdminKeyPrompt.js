// Asks for the admin API key when a page needs it: none is set yet, or the server said 401.
//
//   import { AdminKeyPrompt, needsAdminKey } from '../components/AdminKeyPrompt.js';
//
//   if (needsAdminKey(error)) {
//     return html`<${AdminKeyPrompt} rejected=${error && error.status === 401} onSaved=${reload} />`;
//   }
//
// - `needsAdminKey(error)` is true when no key is stored, or `error` is an ApiError with status 401.
// - `AdminKeyPrompt` shows a small form; the pasted key is stored with `setAdminKey` (this tab's
//   sessionStorage only) and `onSaved()` is called so the page can retry its request.
// - `rejected` (boolean) says the stored key was refused; the stored key is then forgotten.
import { useEffect, useState } from 'preact/hooks';
import { adminKey, setAdminKey } from '../api.js';
import { html } from '../html.js';

export function needsAdminKey(error) {
  return !adminKey() || Boolean(error && error.status === 401);
}

export function AdminKeyPrompt({ rejected = false, onSaved }) {
  const [key, setKey] = useState('');

  useEffect(() => {
    if (rejected) setAdminKey('');
  }, [rejected]);

  const onSubmit = (event) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) return;
    setAdminKey(trimmed);
    setKey('');
    if (onSaved) onSaved();
  };

  return html`
    <form class="panel admin-key-prompt" onSubmit=${onSubmit}>
      <h2>Admin key needed</h2>
      <p class=${rejected ? 'form-error' : 'muted'} role=${rejected ? 'alert' : null}>
        ${rejected
          ? 'The server refused that admin key. Paste the current one.'
          : 'This page changes the catalog. Paste the ADMIN_API_KEY to continue.'}
      </p>
      <label class="field">
        <span>Admin API key</span>
        <input type="password" name="admin-key" autocomplete="off" required
               value=${key} onInput=${(event) => setKey(event.currentTarget.value)} />
      </label>
      <p class="hint">Kept in this browser tab only. In development it is in <code>var/admin_api_key</code>.</p>
      <div class="form-actions">
        <button type="submit" class="button primary">Use this key</button>
      </div>
    </form>
  `;
}
