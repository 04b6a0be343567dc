import { useState } from 'react';
import { useQuery } from '../app/use-query.js';
import { useApi } from '../app/ApiContext.js';
import { href } from '../app/router.js';
import { formatCount, formatTimestamp, plural } from '../app/format.js';
import type { ServerInfo } from '../../../shared/api/contract.js';
import type { DatasetInfo } from '../../../shared/model/telemetry.js';
import { MlMappingEditor } from '../models/MlMappingEditor.js';
import { RedactionEditor } from '../redaction/RedactionEditor.js';

/** Where Sightline listens and with which token, where the store is, and its datasets. */
export function SettingsPage({ info }: { info: ServerInfo | null }) {
  const api = useApi();
  const list = useQuery('datasets', () => api.listDatasets({}), { live: true });
  const datasets = list.data ?? [];
  const [deleteError, setError] = useState<string | null>(null);
  const error = deleteError ?? list.error;
  const load = list.reload;

  const remove = (d: DatasetInfo): void => {
    if (!window.confirm(`Delete dataset "${d.name}" and its ${plural(d.spans, 'span')}?`)) return;
    api.deleteDataset({ datasetId: d.id }).then(load, (e: Error) => setError(e.message));
  };
  const scheme = info?.tls ? 'https' : 'http';
  return (
    <section className="settings-page" data-testid="settings-page">
      <h2>Receivers</h2>
      {info && (
        <dl className="settings-facts" data-testid="settings-receivers">
          <dt>OTLP/HTTP</dt>
          <dd className="mono">{`${scheme}://${info.listenHost}:${info.otlpHttpPort ?? '—'}`}</dd>
          <dt>OTLP/gRPC</dt>
          <dd className="mono">{info.otlpGrpcPort ? `${info.listenHost}:${info.otlpGrpcPort}${info.tls ? ' (TLS)' : ''}` : 'off'}</dd>
          <dt>Token</dt>
          <dd data-testid="settings-token">
            {info.receiverToken ? (
              <>
                <code className="mono">Authorization: Bearer {info.receiverToken}</code>{' '}
                <button onClick={() => void navigator.clipboard?.writeText(info.receiverToken ?? '')}>Copy</button>
              </>
            ) : (
              'none: the receivers listen on loopback only'
            )}
          </dd>
          <dt>Store</dt>
          <dd className="mono">{info.dbPath}</dd>
          <dt>Version</dt>
          <dd>
            {info.appVersion} ({info.mode === 'electron' ? 'desktop' : 'browser mode'})
          </dd>
        </dl>
      )}
      <h2>Redaction</h2>
      <RedactionEditor />
      <h2>Model attributes</h2>
      <MlMappingEditor />
      <h2>Datasets</h2>
      {error && <div className="error-banner">{error}</div>}
      <table className="trace-table" data-testid="settings-datasets-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Source</th>
            <th>Created</th>
            <th className="num">Traces</th>
            <th className="num">Spans</th>
            <th>Export (command line)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {datasets.map((d) => (
            <tr key={d.id} data-testid="settings-dataset-row" data-dataset={d.name}>
              <td>
                <a href={href(d.id === 1 ? '/' : `/?dataset=${d.id}`)}>{d.name}</a>
              </td>
              <td>{d.kind}</td>
              <td className="settings-source" title={d.source}>
                {d.source}
              </td>
              <td className="mono">{formatTimestamp(d.createdAtMs)}</td>
              <td className="num mono">{formatCount(d.traces)}</td>
              <td className="num mono">{formatCount(d.spans)}</td>
              <td className="mono settings-export">{`sightline export --dataset '${d.name.replace(/'/g, "'\\''")}' --out export.jsonl.gz`}</td>
              <td>
                {d.id !== 1 && (
                  <button onClick={() => remove(d)} data-testid="settings-dataset-delete-button">
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
