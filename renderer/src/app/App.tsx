import { useEffect, useRef, useState } from 'react';
import { useApi } from './ApiContext.js';
import { href, navigate, routeParams, routePath, useLinkInterception, useRoute } from './router.js';
import { matchRoute, ROUTES } from './routes.js';
import { useQuery } from './use-query.js';
import { DataContextProvider, useDataContext } from './DataContextProvider.js';
import { DataContextBar } from '../components/DataContextBar.js';
import { TimeZoneButton } from '../components/TimeZoneButton.js';
import { ShortcutsOverlay } from '../components/ShortcutsOverlay.js';
import { useArchiveOpener } from '../imports/useArchiveOpener.js';
import { ImportPanel } from '../imports/ImportPanel.js';
import { useFiringAlerts } from '../alerts/useFiringAlerts.js';
import { ThemeButton } from '../components/ThemeButton.js';
import type { ServerInfo } from '../../../shared/api/contract.js';

export function App() {
  useLinkInterception();
  const { route: view } = matchRoute(routePath(useRoute()));
  return (
    <DataContextProvider readUrl={view.usesContext}>
      <AppFrame />
    </DataContextProvider>
  );
}

function AppFrame() {
  const api = useApi();
  const route = useRoute();
  const { link } = useDataContext();
  const { route: view, match } = matchRoute(routePath(route));
  useEffect(() => {
    document.title = `${view.title} · Sightline`;
  }, [view.title]);
  // Re-render every time on a zone switch (formatting reads the module's setting).
  const [, setZone] = useState(0);
  const info: ServerInfo | null = useQuery('server-info', () => api.getServerInfo({})).data;
  const archives = useArchiveOpener(api);
  const alerts = useFiringAlerts(api);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  return (
    <div
      className="app"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        archives.open(e.dataTransfer.files);
      }}
    >
      {dragging && (
        <div className="drop-overlay" data-testid="app-drop-overlay">
          Drop a trace archive to import it: OTLP JSON, JSON Lines or protobuf, Jaeger, Zipkin; plain, gzip or zstd
        </div>
      )}
      <header className="app-header">
        <a className="app-title" href={href('/')} data-testid="app-home-link">
          Sightline
        </a>
        <button className="open-button" onClick={() => fileInput.current?.click()} data-testid="app-open-button">
          Open file…
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="app-open-input"
          onChange={(e) => (archives.open(e.target.files), (e.target.value = ''))}
        />
        <nav className="app-nav" aria-label="Views">
          {ROUTES.filter((r) => r.navPath !== undefined).map((n) => (
            <a
              key={n.id}
              className="header-link"
              href={href(n.usesContext ? link(n.navPath!) : n.navPath!)}
              aria-current={n.id === view.id ? 'page' : undefined}
              data-testid={`app-${n.id}-link`}
            >
              {n.title}
              {n.id === 'alerts' && alerts.firing > 0 && (
                <span className="badge badge-drift" data-testid="app-alerts-firing-badge">
                  {alerts.firing} firing
                </span>
              )}
            </a>
          ))}
        </nav>
        <div className="app-header-end">
          <TimeZoneButton onChange={() => setZone((n) => n + 1)} />
          <button
            type="button"
            className="theme-button"
            title="Keyboard shortcuts (?)"
            aria-label="Keyboard shortcuts"
            onClick={() => window.dispatchEvent(new KeyboardEvent('keydown', { key: '?' }))}
            data-testid="app-shortcuts-button"
          >
            ?
          </button>
          <ThemeButton />
          <span className="app-header-info" data-testid="app-mode-label">
            {info
              ? `${info.mode === 'electron' ? 'Desktop' : 'Browser mode'} · OTLP/HTTP :${info.otlpHttpPort ?? '—'} · gRPC :${info.otlpGrpcPort ?? '—'}`
              : ''}
          </span>
        </div>
      </header>
      <main className="app-main">
        {archives.demoError && <div className="error-banner">{archives.demoError}</div>}
        {alerts.notices.length > 0 && (
          <div className="alert-notice" role="alert" data-testid="app-alert-notice">
            {alerts.notices.map((n, i) => (
              <div key={i}>
                <strong>Alert</strong> {n.message}
              </div>
            ))}
            <button onClick={alerts.dismiss}>Dismiss</button>
          </div>
        )}
        <div className="page-head">
          <h1 className="page-title" data-testid="page-title">
            {view.title}
          </h1>
          {view.usesContext && <DataContextBar />}
        </div>
        {view.render({ match, params: routeParams(route), info, loadDemo: archives.loadDemo })}
      </main>
      <ShortcutsOverlay />
      <ImportPanel
        uploads={archives.uploads}
        imports={archives.imports}
        onCancel={(id) => void api.cancelImport({ importId: id })}
        onOpen={(e) => navigate(`/?dataset=${e.datasetId}`)}
        onDismiss={archives.dismiss}
      />
    </div>
  );
}
