/**
 * The window's only bridge to the core: one function per contract method (never a generic
 * invoke), plus the live-event subscription. Runs sandboxed with context isolation.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { API_METHODS, ipcChannel, IPC_EVENT_CHANNEL } from '../../shared/api/methods.js';
import type { LiveEvent } from '../../shared/api/events.js';

const bridge: Record<string, unknown> = {};
for (const method of API_METHODS) {
  bridge[method] = (request: unknown) => ipcRenderer.invoke(ipcChannel(method), request ?? {});
}
bridge['subscribe'] = (listener: (event: LiveEvent) => void): (() => void) => {
  const handler = (_e: IpcRendererEvent, event: LiveEvent): void => listener(event);
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => ipcRenderer.off(IPC_EVENT_CHANNEL, handler);
};

contextBridge.exposeInMainWorld('sightline', bridge);
// A dropped or chosen file's path, so the core imports it in place instead of an upload.
contextBridge.exposeInMainWorld('sightlineFiles', { pathForFile: (file: File): string => webUtils.getPathForFile(file) });
