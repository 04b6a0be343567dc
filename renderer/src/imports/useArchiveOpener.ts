/**
 * Opening archives from this window: uploads (or local paths in Electron) with their progress,
 * the imports they start, and, when one of those finishes, a jump to its dataset.
 */
import { useEffect, useRef, useState } from 'react';
import type { SightlineApi } from '../../../shared/api/contract.js';
import type { ImportEvent } from '../../../shared/api/events.js';
import { navigate } from '../app/router.js';
import { openArchive } from './open-archive.js';
import { useImports } from './useImports.js';
import type { Upload } from './ImportPanel.js';

export function useArchiveOpener(api: SightlineApi): {
  uploads: Upload[];
  imports: ImportEvent[];
  open: (files: FileList | null) => void;
  /** Imports the generated incident demo, then shows it on the Models page. */
  loadDemo: () => void;
  demoError: string | null;
  dismiss: (importId: string) => void;
} {
  const imports = useImports(api);
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const [uploads, setUploads] = useState<Upload[]>([]);
  const startedHere = useRef(new Set<string>());
  const demoImports = useRef(new Set<string>());
  const [demoError, setDemoError] = useState<string | null>(null);

  useEffect(() => {
    for (const e of imports) {
      if (e.state === 'done' && demoImports.current.has(e.importId)) {
        demoImports.current.delete(e.importId);
        setDismissed((d) => new Set(d).add(e.importId));
        navigate(`/models?dataset=${e.datasetId}`);
      }
      if (e.state === 'done' && startedHere.current.has(e.importId)) {
        startedHere.current.delete(e.importId);
        navigate(`/?dataset=${e.datasetId}`);
      }
    }
  }, [imports]);

  const update = (name: string, change: Partial<Upload>): void => setUploads((u) => u.map((x) => (x.name === name ? { ...x, ...change } : x)));
  const open = (files: FileList | null): void => {
    for (const file of Array.from(files ?? [])) {
      setUploads((u) => [...u, { name: file.name, fraction: 0 }]);
      openArchive(api, file, (fraction) => update(file.name, { fraction })).then(
        (r) => {
          startedHere.current.add(r.importId);
          setUploads((u) => u.filter((x) => x.name !== file.name));
        },
        (e: Error) => update(file.name, { error: e.message }),
      );
    }
  };

  const loadDemo = (): void => {
    setDemoError(null);
    api.loadDemo({}).then(
      (r) => {
        if (r.importId !== null) demoImports.current.add(r.importId);
        // Already in the store: show it at once.
        else
          void api.listDatasets({}).then((all) => {
            const demo = all.find((d) => d.name === r.datasetName);
            if (demo) navigate(`/models?dataset=${demo.id}`);
          });
      },
      (e: Error) => setDemoError(e.message),
    );
  };

  return {
    uploads,
    loadDemo,
    demoError,
    imports: imports.filter((e) => !dismissed.has(e.importId)),
    open,
    dismiss: (id) => setDismissed((d) => new Set(d).add(id)),
  };
}
