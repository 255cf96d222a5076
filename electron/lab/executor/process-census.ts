import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly name: string;
}

/**
 * Every process on the machine, from /proc (Linux only). The executor's tests use it to prove
 * absence: after each adversarial case, the only processes running as the executor's sandbox uids
 * are its live harnesses, one per worker.
 */
export function listProcesses(): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const field = (key: string) => new RegExp(`^${key}:\\s*(\\S+)`, 'm').exec(status)?.[1] ?? '';
      out.push({ pid: Number(entry), ppid: Number(field('PPid')), uid: Number(field('Uid')), name: field('Name') });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** Processes running as a uid in [from, to). */
export function processesOfUids([from, to]: readonly [number, number]): ProcessEntry[] {
  return listProcesses().filter((p) => p.uid >= from && p.uid < to && !isZombieGone(p.pid));
}

function isZombieGone(pid: number): boolean {
  try {
    return /^State:\s*[ZX]/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

/** All descendants of the given pids (children, grandchildren...). */
export function descendantsOf(roots: readonly number[]): ProcessEntry[] {
  const all = listProcesses();
  const found = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => found.has(p.pid) && !roots.includes(p.pid));
}
