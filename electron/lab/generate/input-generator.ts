import type { Rng } from '#lab/random/rng.ts';
import type { TaggedJson } from '#shared/values/tagged-json.ts';

/** The argument types generated problems take. */
/** `ints` may be empty; `nonempty` never is, so `items[0]` and `max(items)` can make problems too. */
export type ArgType = 'int' | 'bool' | 'ints' | 'nonempty' | 'str';

/**
 * Parameter lists of generated problems and how often each is drawn: mostly one or two numbers,
 * lists and strings, the shapes of short everyday functions.
 */
export const SIGNATURES: readonly { readonly types: readonly ArgType[]; readonly weight: number }[] = [
  { types: ['int'], weight: 5 },
  { types: ['int', 'int'], weight: 5 },
  { types: ['int', 'int', 'int'], weight: 1 },
  { types: ['ints'], weight: 3 },
  { types: ['nonempty'], weight: 3 },
  { types: ['ints', 'int'], weight: 1 },
  { types: ['nonempty', 'int'], weight: 1 },
  { types: ['str'], weight: 3 },
  { types: ['str', 'str'], weight: 1 },
  { types: ['str', 'int'], weight: 1 },
  { types: ['bool', 'bool'], weight: 1 },
  { types: ['int', 'bool'], weight: 0.5 },
];

export const PARAMETER_NAMES: Record<ArgType, readonly string[]> = {
  int: ['n', 'm', 'k'],
  bool: ['p', 'q'],
  ints: ['items', 'values'],
  nonempty: ['items', 'values'],
  str: ['s', 't'],
};

const LETTERS = 'abcdeABCxyz ';

/** Integers of several sizes: small around zero, medium, and larger non-negative ones. */
function intValue(rng: Rng, scale: number): number {
  if (scale === 0) return rng.int(11) - 5;
  if (scale === 1) return rng.int(101) - 50;
  return rng.int(1001);
}

/** One argument of a type; `scale` 0..2 picks small, medium or larger values (and lengths). */
export function argumentValue(rng: Rng, type: ArgType, scale: number): TaggedJson {
  switch (type) {
    case 'int': return intValue(rng, scale);
    case 'bool': return rng.next() < 0.5;
    case 'ints':
    case 'nonempty': {
      const shortest = type === 'nonempty' ? 1 : 0;
      const length = scale === 0 ? shortest + rng.int(3 - shortest) : scale === 1 ? 1 + rng.int(5) : 3 + rng.int(6);
      return Array.from({ length }, () => rng.int(21) - 10);
    }
    case 'str': {
      const length = scale === 0 ? rng.int(3) : scale === 1 ? 1 + rng.int(5) : 4 + rng.int(6);
      let s = '';
      for (let i = 0; i < length; i++) s += LETTERS[rng.int(LETTERS.length)]!;
      return s;
    }
  }
}

/** `count` argument lists for a signature, sizes cycling small, medium, larger; no two equal. */
export function argumentLists(rng: Rng, types: readonly ArgType[], count: number): TaggedJson[][] {
  const lists: TaggedJson[][] = [];
  const seen = new Set<string>();
  for (let attempt = 0; lists.length < count && attempt < count * 20; attempt++) {
    const args = types.map((t) => argumentValue(rng, t, attempt % 3));
    const key = JSON.stringify(args);
    if (seen.has(key)) continue;
    seen.add(key);
    lists.push(args);
  }
  return lists;
}
