import { BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { importProblemFiles } from '#lab/problems/import-problems.ts';
import type { LabDatabase } from '#lab/store/database.ts';
import { saveProblemSet } from '#lab/store/problem-sets.ts';
import { formatImportMessage } from '#shared/problems/import-report.ts';

/** File > Import problem files…: a native dialog, then the engine's all-or-nothing import. */
async function importFromDialog(db: LabDatabase): Promise<void> {
  const window = BrowserWindow.getFocusedWindow() ?? undefined;
  const options = {
    title: 'Import problem files',
    properties: ['openFile', 'multiSelections'] as ('openFile' | 'multiSelections')[],
    filters: [{ name: 'Problem files', extensions: ['json', 'jsonl'] }],
  };
  const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  if (picked.canceled || picked.filePaths.length === 0) return;
  const setName = basename(picked.filePaths[0]!).replace(/\.(jsonl?|json)$/, '');
  const outcome = await importProblemFiles(
    picked.filePaths.map((path) => ({ path, bytes: readFileSync(path) })),
    { setName },
  );
  if (!outcome.report.ok) {
    dialog.showErrorBox('Nothing was imported', outcome.report.errors.slice(0, 20).map(formatImportMessage).join('\n'));
    return;
  }
  try {
    saveProblemSet(db, { name: setName, description: outcome.description, sourceFiles: picked.filePaths.map((p) => basename(p)), problems: outcome.problems });
    await dialog.showMessageBox({ type: 'info', message: `Imported ${outcome.problems.length} problems into the set "${setName}".` });
  } catch (error) {
    dialog.showErrorBox('Nothing was imported', (error as Error).message);
  }
}

export function installMenu(db: LabDatabase, openHash: (hash: string) => void): void {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'New Experiment', accelerator: 'CmdOrCtrl+N', click: () => openHash('#/new') },
        { label: 'Import Problem Files…', accelerator: 'CmdOrCtrl+O', click: () => void importFromDialog(db) },
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
