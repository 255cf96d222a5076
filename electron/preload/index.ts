import { contextBridge } from 'electron';

// The renderer gets one named, typed object and never ipcRenderer itself (STYLE.md rule 3).
contextBridge.exposeInMainWorld('lab', { transport: 'ipc' as const });
