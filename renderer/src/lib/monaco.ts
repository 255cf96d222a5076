import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/python/register';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import { editorTheme } from './editor-theme.ts';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';

// Monaco's workers under Vite come from ?worker imports (docs/toolchain.md, "Monaco under Vite": without this the editor
// worker fails to load in a built bundle). YAML and Python need only the base editor worker; JSON
// validation against a schema runs in the JSON worker.
self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};

/** An editor with the lab's look (no minimap, automatic layout, the app's theme); options win. */
export function createEditor(
  host: HTMLElement,
  options: monaco.editor.IStandaloneEditorConstructionOptions,
  effectiveTheme: string,
): monaco.editor.IStandaloneCodeEditor {
  return monaco.editor.create(host, {
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    tabSize: 2,
    scrollBeyondLastLine: false,
    theme: editorTheme(effectiveTheme),
    ...options,
  });
}

/** A read-only side-by-side diff of two programs, with the lab's look. */
export function createDiffEditor(host: HTMLElement, effectiveTheme: string): monaco.editor.IStandaloneDiffEditor {
  return monaco.editor.createDiffEditor(host, {
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    readOnly: true,
    originalEditable: false,
    renderSideBySide: true,
    scrollBeyondLastLine: false,
    theme: editorTheme(effectiveTheme),
  });
}

export { monaco, jsonDefaults };
