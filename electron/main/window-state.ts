import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const stateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof stateSchema>;

const DEFAULT: Pick<WindowState, 'width' | 'height'> = { width: 1360, height: 860 };

function visible(bounds: Rectangle): boolean {
  return screen.getAllDisplays().some(({ workArea: a }) =>
    bounds.x < a.x + a.width && bounds.x + bounds.width > a.x && bounds.y < a.y + a.height && bounds.y + bounds.height > a.y,
  );
}

/** The window's last bounds (parsed at this boundary), when they still fit on a screen. */
export function loadWindowState(dir: string): Partial<WindowState> {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8')));
    if (parsed.success && visible(parsed.data)) return parsed.data;
  } catch {
    // first start or an unreadable file: defaults
  }
  return DEFAULT;
}

/** Saves the window's bounds when it closes, so the next start opens it where it was. */
export function keepWindowState(window: BrowserWindow, dir: string): void {
  window.on('close', () => {
    const state: WindowState = { ...window.getNormalBounds(), maximized: window.isMaximized() };
    try {
      writeFileSync(join(dir, 'window-state.json'), JSON.stringify(state));
    } catch {
      // a read-only data folder loses the window position, nothing else
    }
  });
}
