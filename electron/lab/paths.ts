import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/**
 * The project root: this file is two folders below it, and so is the Electron build's
 * out/main/index.js, so the same relative step works from sources and from the bundle.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DATA_DIR = join(PROJECT_ROOT, 'data');
export const RESOURCES_DIR = join(PROJECT_ROOT, 'resources');
export const BUNDLED_PROBLEMS_DIR = join(DATA_DIR, 'problems');
export const PRESETS_DIR = join(DATA_DIR, 'presets');
/** The policy `lab pretrain` made and the lab ships (docs/pretraining.md). */
export const PRETRAINED_POLICY_DIR = join(DATA_DIR, 'models', 'pretrained-policy');
