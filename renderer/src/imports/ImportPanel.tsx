import type { ImportEvent } from '../../../shared/api/events.js';
import { formatDurationMs, plural } from '../app/format.js';

export interface Upload {
  name: string;
  fraction: number;
  error?: string;
}

function rateAndEta(e: ImportEvent): string {
  const seconds = e.elapsedMs / 1000;
  if (seconds <= 0 || e.bytesRead <= 0) return '';
  const mbps = e.bytesRead / 1048576 / seconds;
  const leftMs = ((e.totalBytes - e.bytesRead) / 1048576 / mbps) * 1000;
  return `${mbps.toFixed(1)} MB/s · ${formatDurationMs(Math.max(0, leftMs))} left`;
}

/** Uploads and imports in progress or just finished, with progress bars and cancel. */
export function ImportPanel({
  uploads,
  imports,
  onCancel,
  onOpen,
  onDismiss,
}: {
  uploads: Upload[];
  imports: ImportEvent[];
  onCancel: (id: string) => void;
  onOpen: (e: ImportEvent) => void;
  onDismiss: (id: string) => void;
}) {
  if (uploads.length === 0 && imports.length === 0) return null;
  return (
    <aside className="import-panel" data-testid="import-panel">
      {uploads.map((u) => (
        <div key={u.name} className="import-item" data-testid="import-upload-item">
          <div className="import-title">{u.error ? `Upload of ${u.name} failed: ${u.error}` : `Uploading ${u.name}…`}</div>
          <progress max={1} value={u.fraction} />
        </div>
      ))}
      {imports.map((e) => (
        <div key={e.importId} className={`import-item ${e.state}`} data-testid="import-item" data-state={e.state}>
          <div className="import-title">
            {e.state === 'running' ? 'Importing' : e.state === 'done' ? 'Imported' : e.state === 'cancelled' ? 'Cancelled' : 'Failed'}{' '}
            {e.file.split(/[\\/]/).pop()}
            <span className="import-dataset"> → {e.datasetName}</span>
          </div>
          <progress max={e.totalBytes || 1} value={e.state === 'done' ? e.totalBytes : e.bytesRead} />
          <div className="import-facts" data-testid="import-facts">
            {(e.bytesRead / 1048576).toFixed(1)} / {(e.totalBytes / 1048576).toFixed(1)} MB · {plural(e.spans, 'span')}
            {e.state === 'running' ? ` · ${rateAndEta(e)}` : ''}
          </div>
          {e.message && e.state !== 'running' && <div className="import-message">{e.message}</div>}
          <div className="import-actions">
            {e.state === 'running' && (
              <button onClick={() => onCancel(e.importId)} data-testid="import-cancel-button">
                Cancel
              </button>
            )}
            {e.state === 'done' && (
              <button onClick={() => onOpen(e)} data-testid="import-open-button">
                Open dataset
              </button>
            )}
            {e.state !== 'running' && <button onClick={() => onDismiss(e.importId)}>Dismiss</button>}
          </div>
        </div>
      ))}
    </aside>
  );
}
