import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/python/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

// Monaco's workers under Vite come from ?worker imports (TOOLCHAIN.md: without this the editor
// worker fails to load in a built bundle). YAML and Python need only the base editor worker.
self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

export { monaco };
