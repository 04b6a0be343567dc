import { useEffect, useState } from 'react';
import { useApi } from './ApiContext.js';
import { href, useRoute } from './router.js';
import { TraceListPage } from '../pages/TraceListPage.js';
import { TracePage } from '../pages/TracePage.js';
import type { ServerInfo } from '../../../shared/api/contract.js';

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
  return (
    <div className="app">
      <header className="app-header">
        <a className="app-title" href={href('/')} data-testid="app-home-link">
          Sightline
        </a>
        <span className="app-header-info" data-testid="app-mode-label">
          {info ? `${info.mode === 'electron' ? 'Desktop' : 'Browser mode'} · OTLP/HTTP :${info.otlpHttpPort ?? '—'} · gRPC :${info.otlpGrpcPort ?? '—'}` : ''}
        </span>
      </header>
      <main className="app-main">
        {traceMatch ? <TracePage traceId={traceMatch[1]!.toLowerCase()} dataset={datasetParam(route)} /> : <TraceListPage info={info} />}
      </main>
    </div>
  );
}
