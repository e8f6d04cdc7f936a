// A minimal history-API router: the current path as state, links that push instead of load.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';

const listeners = new Set();

export function navigate(path) {
  if (path !== location.pathname + location.search) history.pushState(null, '', path);
  listeners.forEach((listener) => listener(location.pathname));
}

window.addEventListener('popstate', () => listeners.forEach((l) => l(location.pathname)));

export function usePath() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    listeners.add(setPath);
    return () => listeners.delete(setPath);
  }, []);
  return path;
}

// Match "/admin/models/:slug" against a path; returns the params or null.
export function matchRoute(pattern, path) {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

export function Link({ href, children, ...rest }) {
  const onClick = (event) => {
    if (event.metaKey || event.ctrlKey || event.button !== 0) return;
    event.preventDefault();
    navigate(href);
  };
  return html`<a href=${href} onClick=${onClick} ...${rest}>${children}</a>`;
}
