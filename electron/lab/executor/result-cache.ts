import { createHash } from 'node:crypto';
import type { Sample, Tier } from '#shared/executor/sample.ts';
import type { SampleResult } from '#shared/executor/verdict.ts';

/**
 * The cache key of a sample: everything that decides its verdicts (code, entry point, tests,
 * assert tests, tolerance, time budget, tier: the tiers agree on verdicts but not on how they were reached)
 * and nothing else, hashed. The same program judged against the same
 * problem twice (common in RL, where the agent keeps finding the same short programs) costs a hash.
 */
export function sampleKey(sample: Sample, timeoutMs: number, tier: Tier): string {
  const hash = createHash('sha256');
  hash.update(`${tier}\0`);
  hash.update(sample.functionName);
  hash.update('\0');
  hash.update(sample.code);
  hash.update('\0');
  hash.update(JSON.stringify(sample.tests));
  hash.update('\0');
  hash.update(JSON.stringify(sample.assertTests ?? []));
  hash.update('\0');
  hash.update(JSON.stringify(sample.tolerance ?? null));
  hash.update(`\0${timeoutMs}`);
  return hash.digest('base64url');
}

/** Timeouts and crashes can come from the machine (load, a killed worker), not the program. */
function cacheable(result: SampleResult): boolean {
  return !result.tests.some((t) => t.verdict === 'timeout' || t.verdict === 'crash') && result.verdict !== 'timeout';
}

/** A bounded least-recently-used map from sample key to result. */
export class ResultCache {
  private readonly entries = new Map<string, SampleResult>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity: number) {}

  get(key: string): SampleResult | undefined {
    const found = this.entries.get(key);
    if (!found) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, found);
    return { ...found, cached: true };
  }

  set(key: string, result: SampleResult): void {
    if (this.capacity <= 0 || !cacheable(result)) return;
    this.entries.delete(key);
    this.entries.set(key, result);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
