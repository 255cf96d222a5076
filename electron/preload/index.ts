import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { LabBridge } from '#shared/api/contract.ts';
import type { LabEvent } from '#shared/api/events.ts';

// The renderer gets one named, typed object and never ipcRenderer itself (docs/architecture.md, "Thin main, named preload").
// The renderer parses what comes through (createLabClient, parseLabEvent): nothing here trusts it.
const lab: LabBridge = {
  call: (method, input) => ipcRenderer.invoke('lab:call', method, input),
  listen(handler) {
    const relay = (_event: IpcRendererEvent, payload: LabEvent) => handler(payload);
    ipcRenderer.on('lab:event', relay);
    return () => ipcRenderer.removeListener('lab:event', relay);
  },
};

contextBridge.exposeInMainWorld('lab', lab);
