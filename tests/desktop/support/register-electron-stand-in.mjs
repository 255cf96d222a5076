// `node --import` this file to run the app's main process against the electron stand-in.
import { register } from 'node:module';

register('./electron-resolve-hook.mjs', import.meta.url);
