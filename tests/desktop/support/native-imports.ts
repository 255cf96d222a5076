import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

/**
 * What a built Electron bundle loads that only runs in the Node it was compiled for: native addons
 * (`.node` files, better-sqlite3, @tensorflow/tfjs-node*, the `bindings` and `node-gyp-build`
 * loaders), directly or through a package the bundle leaves external.
 */
const SPECIFIER = /(?:\bimport\s*(?:[\w*{}\s,$]+\s*from\s*)?|\bexport\s+[\w*{}\s,$]+\s+from\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
const NATIVE_PACKAGES = /^(better-sqlite3|@tensorflow\/tfjs-node(-gpu)?|bindings|node-gyp-build)(\/|$)/;

function bundleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(c|m)?js$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function hasAddon(dir: string): boolean {
  if (existsSync(join(dir, 'binding.gyp'))) return true;
  return readdirSync(dir, { withFileTypes: true, recursive: true }).some(
    (e) => e.isFile() && e.name.endsWith('.node') && !relative(dir, e.parentPath).split('/').includes('node_modules'),
  );
}

/** Why the package (or one it depends on) is native, or undefined when none of them is. */
function nativeInPackage(name: string, from: string, seen = new Set<string>()): string | undefined {
  if (NATIVE_PACKAGES.test(name)) return name;
  let manifest: string;
  try {
    manifest = createRequire(join(from, 'noop.js')).resolve(`${name}/package.json`);
  } catch {
    const found = [from, ...ancestors(from)].map((d) => join(d, 'node_modules', name, 'package.json')).find((f) => existsSync(f));
    if (!found) return undefined;
    manifest = found;
  }
  const dir = dirname(manifest);
  if (seen.has(dir)) return undefined;
  seen.add(dir);
  if (hasAddon(dir)) return name;
  const { dependencies = {}, optionalDependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, Record<string, string>>;
  for (const dependency of Object.keys({ ...dependencies, ...optionalDependencies })) {
    const why = nativeInPackage(dependency, dir, seen);
    if (why) return `${name} -> ${why}`;
  }
  return undefined;
}

function ancestors(dir: string): string[] {
  const up: string[] = [];
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) up.push(d);
  return up;
}

/** `file: specifier (reason)` for each native load in the bundles under `dir`; [] when clean. */
export function nativeImports(dir: string, packagesFrom: string): string[] {
  const found: string[] = [];
  for (const file of bundleFiles(dir)) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const where = `${relative(dir, file)}: ${specifier}`;
      if (specifier!.endsWith('.node')) found.push(`${where} (a native addon file)`);
      else if (specifier!.startsWith('.') || specifier!.startsWith('/') || specifier!.startsWith('node:')) continue;
      else if (builtinModules.includes(specifier!) || specifier === 'electron') continue;
      else {
        const why = nativeInPackage(packageName(specifier!), packagesFrom);
        if (why) found.push(`${where} (native: ${why})`);
      }
    }
  }
  return found.sort();
}
