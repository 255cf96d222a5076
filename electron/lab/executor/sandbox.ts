import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * How a worker is walled in (docs/architecture.md, "Sandbox on Linux"):
 * - bwrap: Debian's bubblewrap. Own pid, network, ipc and uts namespaces, a read-only view of /usr
 *   and the interpreter, a private size-limited tmpfs as scratch, dies with its parent. As root, bwrap
 *   sets the namespaces up and `setpriv` then drops to an unprivileged uid of the host (one per
 *   worker), which is what makes RLIMIT_NPROC hold (root, even root mapped into a user namespace,
 *   ignores it). As an ordinary user, bwrap adds a user namespace instead.
 * - unshare: util-linux's unshare with the same namespaces and uid drop, when bwrap is missing; the
 *   file system stays the host's (read-only to the dropped uid except world-writable places, which
 *   get private tmpfs mounts).
 * - none: no sandbox could be made. Workers run bare; the executor refuses every sample that needs
 *   more than the in-process screen (see resources/python/harness.py), and says so loudly.
 */
export type SandboxKind = 'bwrap' | 'unshare' | 'none';

export interface SandboxInfo {
  readonly kind: SandboxKind;
  /** Why this kind, in words (e.g. why bwrap could not be used). */
  readonly note: string;
}

/** Resource limits applied inside every worker (and so to every sample). */
export interface WorkerLimits {
  readonly addressSpaceBytes: number;
  readonly fileSizeBytes: number;
  readonly openFiles: number;
  readonly processes: number;
  readonly scratchBytes: number;
  readonly resultChars: number;
}

export const DEFAULT_LIMITS: WorkerLimits = {
  addressSpaceBytes: 1024 * 1024 * 1024,
  fileSizeBytes: 16 * 1024 * 1024,
  openFiles: 64,
  processes: 64,
  scratchBytes: 64 * 1024 * 1024,
  resultChars: 1024 * 1024,
};

export interface WorkerCommand {
  readonly file: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  /** The cwd on the host side (the sandbox sets its own). */
  readonly cwd: string;
}

const SANDBOX_HARNESS_DIR = '/opt/lab-harness';
const SANDBOX_SCRATCH = '/tmp';
/**
 * Everything a worker's environment holds. PYTHONHASHSEED=0 makes every worker hash strings alike,
 * so a program whose result follows the iteration order of a set of strings gets the same verdict
 * on every worker and every run (the result cache assumes verdicts are a function of the code).
 * `python -I` ignores PYTHON* variables, so workers start with `-s` instead: in this environment,
 * which holds no other PYTHON* variable, that is what -I gives (the harness drops its own folder
 * from sys.path and refuses to start if any other PYTHON* variable is set).
 */
const MINIMAL_ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: SANDBOX_SCRATCH, TMPDIR: SANDBOX_SCRATCH, PYTHONHASHSEED: '0' };
const isRoot = process.getuid?.() === 0;

function which(name: string): string | undefined {
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin']) {
    const full = join(dir, name);
    if (existsSync(full)) return full;
  }
  return undefined;
}

/** The topmost ancestor of `path` that others may not traverse (e.g. /root, mode 700). */
function closedAncestor(path: string): string | undefined {
  const parts = resolve(path).split(sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const dir = `/${parts.slice(0, i).join('/')}`;
    if ((statSync(dir).mode & 0o001) === 0) return dir;
  }
  return undefined;
}

/** The install prefix of a real interpreter path (…/bin/python3.11 -> …). */
export function pythonPrefix(pythonPath: string): string {
  return dirname(dirname(pythonPath));
}

export interface WorkerSpec {
  readonly python: string;
  readonly harnessDir: string;
  readonly limits: WorkerLimits;
  /** Host uid the worker drops to when we are root (unique per worker, so NPROC counts only it). */
  readonly uid: number;
}

function harnessArgs(spec: WorkerSpec, harness: string, scratch: string, sandboxed: boolean): string[] {
  const l = spec.limits;
  return [
    '-s', join(harness, 'harness.py'), // not -I: see MINIMAL_ENV
    '--in', '3', '--out', '4',
    '--as', String(l.addressSpaceBytes), '--fsize', String(l.fileSizeBytes), '--nofile', String(l.openFiles),
    // Without a uid of its own, NPROC would count every process of the user (or nothing, as root).
    '--nproc', sandboxed ? String(l.processes) : '0',
    '--scratch', scratch, '--max-result', String(l.resultChars),
    '--kill-strays', sandboxed ? '1' : '0', '--allow-fork', sandboxed ? '1' : '0',
  ];
}

function setprivArgs(uid: number): string[] {
  return [which('setpriv') ?? 'setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups',
    '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--'];
}

/** The bwrap command line for one worker. */
function bwrapCommand(spec: WorkerSpec): WorkerCommand {
  const args = ['--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--die-with-parent', '--new-session'];
  if (!isRoot) args.push('--unshare-user');
  args.push('--ro-bind', '/usr', '/usr');
  for (const top of ['bin', 'sbin', 'lib', 'lib64', 'lib32', 'libx32']) {
    const host = `/${top}`;
    if (!existsSync(host)) continue;
    if (lstatSync(host).isSymbolicLink()) args.push('--symlink', readlinkSync(host), host);
    else args.push('--ro-bind', host, host);
  }
  for (const file of ['/etc/ld.so.cache', '/etc/localtime']) args.push('--ro-bind-try', file, file);
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--size', String(spec.limits.scratchBytes), '--perms', '1777', '--tmpfs', SANDBOX_SCRATCH);
  const prefix = pythonPrefix(spec.python);
  const mountParents: string[] = [];
  if (!prefix.startsWith('/usr/')) {
    const closed = closedAncestor(prefix);
    // A closed parent (pyenv under /root, mode 700) becomes an empty, traversable tmpfs holding only
    // the interpreter: the dropped uid can read Python and nothing else of root's home.
    if (closed) {
      args.push('--perms', '0755', '--tmpfs', closed);
      // bwrap makes missing mount-point parents mode 0700 when run as root: make them traversable.
      for (let dir = dirname(prefix); dir.length > closed.length; dir = dirname(dir)) mountParents.unshift(dir);
      for (const dir of mountParents.splice(0)) args.push('--perms', '0755', '--dir', dir);
    }
    args.push('--ro-bind', prefix, prefix);
  }
  args.push('--perms', '0755', '--dir', dirname(SANDBOX_HARNESS_DIR));
  args.push('--ro-bind', spec.harnessDir, SANDBOX_HARNESS_DIR, '--chdir', SANDBOX_SCRATCH);
  if (isRoot) args.push('--cap-add', 'CAP_SETUID,CAP_SETGID', '--', ...setprivArgs(spec.uid));
  else args.push('--');
  args.push(spec.python, ...harnessArgs(spec, SANDBOX_HARNESS_DIR, SANDBOX_SCRATCH, true));
  return { file: which('bwrap') ?? 'bwrap', args, env: MINIMAL_ENV, cwd: '/' };
}

/** The unshare fallback: same namespaces and uid drop; mounts done by a short root shell prelude. */
function unshareCommand(spec: WorkerSpec): WorkerCommand {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const prefix = pythonPrefix(spec.python);
  const closed = prefix.startsWith('/usr/') ? undefined : closedAncestor(prefix);
  // The harness may live under /tmp (a CI clone in a temp folder), which the private tmpfs hides:
  // bind it, read-only, over an existing folder outside /tmp (hidden only in this namespace).
  const harness = ['/mnt', '/srv', '/media', '/opt', '/home'].find((dir) => existsSync(dir) && !`${prefix}/`.startsWith(`${dir}/`)) ?? '/mnt';
  const script = [
    'set -e',
    'mount --make-rprivate /',
    'mount -t proc proc /proc',
    `mount --bind ${q(spec.harnessDir)} ${q(harness)}`,
    `mount -o remount,bind,ro ${q(harness)}`,
    `mount -t tmpfs -o size=${spec.limits.scratchBytes},mode=1777 tmpfs /tmp`,
    'for d in /dev/shm /var/tmp /run/lock; do [ -d "$d" ] && mount -t tmpfs -o size=1m tmpfs "$d" || true; done',
    ...(closed
      ? ['mkdir /tmp/.stage', `mount --bind ${q(prefix)} /tmp/.stage`, `mount -t tmpfs -o mode=755 tmpfs ${q(closed)}`,
        `mkdir -p ${q(prefix)}`, `mount --move /tmp/.stage ${q(prefix)}`, 'rmdir /tmp/.stage']
      : []),
    `cd ${SANDBOX_SCRATCH}`,
    `exec ${[...(isRoot ? setprivArgs(spec.uid) : []), spec.python, ...harnessArgs(spec, harness, SANDBOX_SCRATCH, true)].map(q).join(' ')}`,
  ].join('\n');
  const args = ['--pid', '--net', '--ipc', '--uts', '--mount', '--fork', '--kill-child'];
  if (!isRoot) args.push('--user', '--map-root-user');
  return { file: which('unshare') ?? 'unshare', args: [...args, '--', '/bin/sh', '-c', script], env: MINIMAL_ENV, cwd: '/' };
}

function bareCommand(spec: WorkerSpec, scratch: string): WorkerCommand {
  return { file: spec.python, args: harnessArgs(spec, spec.harnessDir, scratch, false), env: MINIMAL_ENV, cwd: scratch };
}

/** The command that starts one worker of the given sandbox kind. */
export function workerCommand(kind: SandboxKind, spec: WorkerSpec, bareScratch: string): WorkerCommand {
  if (kind === 'bwrap') return bwrapCommand(spec);
  if (kind === 'unshare') return unshareCommand(spec);
  return bareCommand(spec, bareScratch);
}

const probed = new Map<string, SandboxInfo>();

function probe(kind: Exclude<SandboxKind, 'none'>, given: WorkerSpec): string | undefined {
  const spec = { ...given, uid: given.uid || 3_999_999 };
  const command = workerCommand(kind, spec, '/tmp');
  // The probe runs the sandboxed interpreter on a one-liner instead of the harness: it proves the
  // namespaces, mounts and uid drop all work, and that the network is gone.
  const pyAt = command.args.lastIndexOf(spec.python);
  const tail = ['-I', '-c', 'import os,socket\ntry:\n socket.create_connection(("127.0.0.1",9),timeout=1)\nexcept OSError: pass\nprint(os.getuid())'];
  const args = kind === 'bwrap' ? [...command.args.slice(0, pyAt + 1), ...tail] : command.args;
  if (kind === 'unshare') {
    const script = args[args.length - 1]!.replace(/exec .*$/s, `exec ${[...(isRoot ? setprivArgs(spec.uid) : []), spec.python, ...tail].map((s) => `'${s.replace(/'/g, `'\\''`)}'`).join(' ')}`);
    args[args.length - 1] = script;
  }
  try {
    const out = execFileSync(command.file, args, { env: command.env, cwd: command.cwd, timeout: 15_000, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (isRoot && out.trim() === '0') return 'the uid drop did not happen';
    return undefined;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    return (e.stderr || e.message).trim().split('\n').slice(-2).join(' ');
  }
}

/**
 * Picks the strongest sandbox that works here (probed once per process and interpreter).
 * `wanted` forces a kind; a forced kind that fails to start is reported, never silently replaced.
 */
export function detectSandbox(spec: WorkerSpec, wanted: SandboxKind | 'auto' = 'auto'): SandboxInfo {
  const key = `${wanted}:${spec.python}`;
  const known = probed.get(key);
  if (known) return known;
  let info: SandboxInfo;
  if (process.platform !== 'linux') {
    info = { kind: 'none', note: `no sandbox on ${process.platform}: only the in-process screen protects this machine` };
  } else if (wanted === 'none') {
    info = { kind: 'none', note: 'sandbox disabled by configuration' };
  } else {
    const order: Exclude<SandboxKind, 'none'>[] = wanted === 'auto' ? ['bwrap', 'unshare'] : [wanted];
    const failures: string[] = [];
    info = { kind: 'none', note: '' };
    for (const kind of order) {
      if (!which(kind === 'bwrap' ? 'bwrap' : 'unshare')) {
        failures.push(`${kind}: not installed${kind === 'bwrap' ? ' (apt-get install -y bubblewrap)' : ''}`);
        continue;
      }
      const problem = probe(kind, spec);
      if (!problem) {
        info = { kind, note: failures.length ? `using ${kind}; ${failures.join('; ')}` : `using ${kind}` };
        break;
      }
      failures.push(`${kind}: ${problem}`);
    }
    if (info.kind === 'none') info = { kind: 'none', note: `NO SANDBOX: ${failures.join('; ')}` };
  }
  probed.set(key, info);
  return info;
}
