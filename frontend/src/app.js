// The console shell: navigation, and the page for the current path.
import { render } from 'preact';
import { html } from './html.js';
import { Link, matchRoute, usePath } from './router.js';
import { CatalogPage } from './pages/CatalogPage.js';
import { ModelDetailPage } from './pages/ModelDetailPage.js';
import { ModelsPage } from './pages/ModelsPage.js';
import { ProviderDetailPage } from './pages/ProviderDetailPage.js';
import { ProvidersPage } from './pages/ProvidersPage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { UsagePage } from './pages/UsagePage.js';

// Each console screen: its path pattern, nav label (if it appears in the nav) and component.
// The server serves index.html for these paths (backend/api/console.py CONSOLE_ROUTES).
const ROUTES = [
  { pattern: '/', label: 'Catalog', component: CatalogPage },
  { pattern: '/admin/providers', label: 'Providers', component: ProvidersPage },
  { pattern: '/admin/providers/:id', component: ProviderDetailPage },
  { pattern: '/admin/models', label: 'Models', component: ModelsPage },
  { pattern: '/admin/models/:slug', component: ModelDetailPage },
  { pattern: '/admin/usage', label: 'Usage', component: UsagePage },
  { pattern: '/admin/settings', label: 'Settings', component: SettingsPage },
];

function NotFoundPage() {
  return html`<section><h1>Not found</h1><p>No console page lives at this address.</p></section>`;
}

function App() {
  const path = usePath();
  let page = null;
  for (const route of ROUTES) {
    const params = matchRoute(route.pattern, path);
    if (params) {
      page = html`<${route.component} ...${params} />`;
      break;
    }
  }
  return html`
    <header class="topbar">
      <span class="brand">Model Catalog</span>
      <nav>
        ${ROUTES.filter((r) => r.label).map(
          (r) => html`<${Link} href=${r.pattern} class=${path === r.pattern ? 'active' : ''}>${r.label}</${Link}>`,
        )}
        <a href="/api/docs">API</a>
      </nav>
    </header>
    <main>${page || html`<${NotFoundPage} />`}</main>
  `;
}

render(html`<${App} />`, document.getElementById('app'));
