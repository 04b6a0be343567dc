/**
 * Opening an archive from the UI. In Electron the preload can tell a dropped or chosen file's
 * path, and the core imports it in place; in a browser the file is uploaded to the core first
 * (with upload progress), which then imports it the same way.
 */
import type { SightlineApi } from '../../../shared/api/contract.js';

declare global {
  interface Window {
    sightlineFiles?: { pathForFile(file: File): string };
  }
}

export function openArchive(api: SightlineApi, file: File, onUploadProgress: (fraction: number) => void): Promise<{ importId: string; datasetName: string }> {
  const localPath = window.sightlineFiles?.pathForFile(file);
  if (localPath) return api.startImport({ path: localPath });
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/upload?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onUploadProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || '{}') as { result?: { importId: string; datasetName: string }; error?: string };
      if (xhr.status === 200 && body.result) resolve(body.result);
      else reject(new Error(body.error ?? `upload failed with HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error('upload failed: the connection to Sightline was lost'));
    xhr.send(file);
  });
}
