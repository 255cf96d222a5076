// Module resolve hook: `import ... from 'electron'` gets the stand-in (electron-stand-in.ts).
const STAND_IN = new URL('./electron-stand-in.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: STAND_IN, shortCircuit: true };
  return next(specifier, context);
}
