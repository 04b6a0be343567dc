import { useEffect, useRef, useState } from 'react';
import { useApi } from './ApiContext.js';
import { href, navigate, useRoute } from './router.js';
import { useArchiveOpener } from '../imports/useArchiveOpener.js';
import { ImportPanel } from '../imports/ImportPanel.js';
import { TraceListPage } from '../pages/TraceListPage.js';
import { TracePage } from '../pages/TracePage.js';
import { SettingsPage } from '../pages/SettingsPage.js';
import { RemotePage } from '../pages/RemotePage.js';
import { ModelsPage } from '../models/ModelsPage.js';
import { AlertsPage } from '../alerts/AlertsPage.js';
import { ReportsPage } from '../reports/ReportsPage.js';
import { ServicesPage } from '../services/ServicesPage.js';
import { LogsPage } from '../logs/LogsPage.js';
import { ComparePage } from '../compare/ComparePage.js';
import { useFiringAlerts } from '../alerts/useFiringAlerts.js';
import { ThemeButton } from '../components/ThemeButton.js';
import type { ServerInfo } from '../../../shared/api/contract.js';

/** The header's links to the app's views. */
const NAV = [
  { id: 'traces', path: '/', label: 'Traces' },
  { id: 'services', path: '/services', label: 'Services' },
  { id: 'logs', path: '/logs', label: 'Logs' },
  { id: 'models', path: '/models', label: 'Models' },
  { id: 'alerts', path: '/alerts', label: 'Alerts' },
  { id: 'reports', path: '/reports', label: 'Reports' },
  { id: 'remote', path: '/remote', label: 'Remote' },
  { id: 'settings', path: '/settings', label: 'Settings' },
] as const;

function datasetParam(route: string): number | undefined {
  const v = new URLSearchParams(route.split('?')[1] ?? '').get('dataset');
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

export function App() {
  const api = useApi();
  const route = useRoute();
  const [info, setInfo] = useState<ServerInfo | null>(null);
  useEffect(() => {
    api.getServerInfo({}).then(setInfo, () => setInfo(null));
  }, [api]);
  const traceMatch = /^\/trace\/([0-9a-fA-F]{32})/.exec(route);
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
        <input ref={fileInput} type="file" multiple hidden data-testid="app-open-input" onChange={(e) => (archives.open(e.target.files), (e.target.value = ''))} />
        {NAV.map((n) => (
          <a key={n.id} className="header-link" href={href(n.path)} data-testid={`app-${n.id}-link`}>
            {n.label}
            {n.id === 'alerts' && alerts.firing > 0 && <span className="badge badge-drift" data-testid="app-alerts-firing-badge">{alerts.firing} firing</span>}
          </a>
        ))}
        <ThemeButton />
        <span className="app-header-info" data-testid="app-mode-label">
          {info ? `${info.mode === 'electron' ? 'Desktop' : 'Browser mode'} · OTLP/HTTP :${info.otlpHttpPort ?? '—'} · gRPC :${info.otlpGrpcPort ?? '—'}` : ''}
        </span>
      </header>
      <main className="app-main">
        {archives.demoError && <div className="error-banner">{archives.demoError}</div>}
        {alerts.notices.length > 0 && (
          <div className="alert-notice" role="alert" data-testid="app-alert-notice">
            {alerts.notices.map((n, i) => (
              <div key={i}><strong>Alert</strong> {n.message}</div>
            ))}
            <button onClick={alerts.dismiss}>Dismiss</button>
          </div>
        )}
        {traceMatch ? (
          <TracePage traceId={traceMatch[1]!.toLowerCase()} dataset={datasetParam(route)} />
        ) : route.startsWith('/services') ? (
          <ServicesPage />
        ) : route.startsWith('/logs') ? (
          <LogsPage />
        ) : route.startsWith('/compare') ? (
          <ComparePage />
        ) : route.startsWith('/settings') ? (
          <SettingsPage info={info} />
        ) : route.startsWith('/reports') ? (
          <ReportsPage />
        ) : route.startsWith('/alerts') ? (
          <AlertsPage />
        ) : route.startsWith('/models') ? (
          <ModelsPage onLoadDemo={archives.loadDemo} />
        ) : route.startsWith('/remote') ? (
          <RemotePage />
        ) : (
          <TraceListPage info={info} onLoadDemo={archives.loadDemo} />
        )}
      </main>
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
