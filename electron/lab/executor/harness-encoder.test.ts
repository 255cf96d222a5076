import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolvePython } from '#lab/python/interpreter.ts';

const RESOURCES = fileURLToPath(new URL('../../../resources/python', import.meta.url));

function python(script: string): unknown {
  const out = execFileSync(resolvePython().path, ['-I', '-c', `import sys; sys.path.insert(0, ${JSON.stringify(RESOURCES)})\n${script}`], { encoding: 'utf8' });
  return JSON.parse(out) as unknown;
}

describe("the harness's hardened encoder (tagged_json.make_encoder)", () => {
  it('writes exactly what tagged_json.encode writes', () => {
    const same = python(`
import json, collections, tagged_json as t
e = t.make_encoder()
values = [None, True, 7, 2**60, -2**70, 2.0, 0.5, float('inf'), 's', [1, (2, 3)], {1, 2}, frozenset([3]),
          {'a': 1}, {1: 2}, {'$x': 1}, 1+2j, b'ab', bytearray(b'c'), collections.Counter('aab'),
          collections.namedtuple('P', 'x y')(1, 2), collections.OrderedDict(a=1)]
print(json.dumps([json.dumps(t.encode(v)) == json.dumps(e(v)) for v in values]))`);
    expect(same).toEqual(new Array(21).fill(true));
  });

  it('ignores patched builtins and lying subclasses', () => {
    const out = python(`
import builtins, json, tagged_json as t
e = t.make_encoder()
class Liar(int):
    def __int__(self): return 6
    def __eq__(self, o): return True
class Sneaky(list):
    def __iter__(self): return iter([6])
saved = builtins.isinstance, builtins.len
builtins.isinstance = lambda *a: True
builtins.len = lambda x: 0
got = [e(Liar(5)), e(Sneaky([1, 2]))]
builtins.isinstance, builtins.len = saved
print(json.dumps(got))`);
    expect(out).toEqual([5, [1, 2]]);
  });

  it('stops at its size budget', () => {
    const out = python(`
import json, tagged_json as t
e = t.make_encoder(1000)
try:
    e('x' * 5000)
    print(json.dumps('no'))
except t.TooLarge as x:
    print(json.dumps(str(x)))`);
    expect(out).toBe('the result is larger than 1000 characters of JSON');
  });
});
