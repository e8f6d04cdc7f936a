// The console's only door to the server: JSON over fetch, with the admin key when one is set.
// The admin key lives in sessionStorage for this tab only; it is never written to the page.

const KEY_STORAGE = 'model-catalog.admin-key';

export class ApiError extends Error {
  constructor(status, payload) {
    super((payload && payload.message) || `HTTP ${status}`);
    this.status = status;
    this.errors = (payload && payload.errors) || {};
  }
}

export function adminKey() {
  return sessionStorage.getItem(KEY_STORAGE) || '';
}

export function setAdminKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  const key = adminKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body === undefined ? {} : body),
  put: (path, body) => request('PUT', path, body),
  patch: (path, body) => request('PATCH', path, body),
  delete: (path) => request('DELETE', path),
};
