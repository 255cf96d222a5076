/** Monaco's built-in theme for the app's effective theme (kept apart so it loads without Monaco). */
export const editorTheme = (effective: string): 'vs' | 'vs-dark' => (effective === 'dark' ? 'vs-dark' : 'vs');
