import { BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { formatImportMessage, importReportSchema } from '#shared/problems/import-report.ts';
import type { RelayTarget } from './ipc-bridge.ts';

/** File > Import problem files…: a native dialog, then the engine's all-or-nothing import. */
async function importFromDialog(engine: RelayTarget): Promise<void> {
  const window = BrowserWindow.getFocusedWindow() ?? undefined;
  const options = {
    title: 'Import problem files',
    properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[],
    filters: [{ name: 'Problem files', extensions: ['json', 'jsonl'] }],
  };
  const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  if (picked.canceled || picked.filePaths.length === 0) return;
  const setName = basename(picked.filePaths[0]!).replace(/\.(jsonl?|json)$/, '');
  let files;
  try {
    files = picked.filePaths.map((path) => ({ name: basename(path), content: readFileSync(path, 'utf8') }));
  } catch (error) {
    dialog.showErrorBox('Nothing was imported', (error as Error).message);
    return;
  }
  const answer = await engine.call('problemSets.import', { files, set_name: setName });
  if (!answer.ok) {
    dialog.showErrorBox('Nothing was imported', answer.error.message);
    return;
  }
  const report = importReportSchema.parse(answer.result);
  if (!report.ok) {
    dialog.showErrorBox('Nothing was imported', report.errors.slice(0, 20).map(formatImportMessage).join('\n'));
    return;
  }
  await dialog.showMessageBox({ type: 'info', message: `Imported ${report.problems.length} problems into the set "${report.set}".` });
}

export function installMenu(engine: RelayTarget, openHash: (hash: string) => void): void {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'New Experiment', accelerator: 'CmdOrCtrl+N', click: () => openHash('#/new') },
        { label: 'Import Problem Files…', accelerator: 'CmdOrCtrl+O', click: () => void importFromDialog(engine) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Experiments', accelerator: 'CmdOrCtrl+1', click: () => openHash('#/experiments') },
        { type: 'separator' },
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
