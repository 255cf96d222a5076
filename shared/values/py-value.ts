/**
 * A Python value as the lab sees it. Test inputs, expected outputs and the actual results that the
 * executor reports are all PyValues, so comparison can follow Python's `==` exactly in TypeScript
 * (expected values never enter the candidate's process).
 */
export type PyValue =
  | { readonly type: 'none' }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'complex'; readonly re: number; readonly im: number }
  | { readonly type: 'str'; readonly value: string }
  | { readonly type: 'bytes'; readonly hex: string }
  | { readonly type: 'list'; readonly items: readonly PyValue[] }
  | { readonly type: 'tuple'; readonly items: readonly PyValue[] }
  | { readonly type: 'set'; readonly items: readonly PyValue[] }
  | { readonly type: 'dict'; readonly entries: readonly (readonly [PyValue, PyValue])[] };

export const py = {
  none: { type: 'none' } as PyValue,
  bool: (value: boolean): PyValue => ({ type: 'bool', value }),
  int: (value: bigint | number): PyValue => ({ type: 'int', value: BigInt(value) }),
  float: (value: number): PyValue => ({ type: 'float', value }),
  str: (value: string): PyValue => ({ type: 'str', value }),
  list: (...items: PyValue[]): PyValue => ({ type: 'list', items }),
  tuple: (...items: PyValue[]): PyValue => ({ type: 'tuple', items }),
  set: (...items: PyValue[]): PyValue => ({ type: 'set', items }),
  dict: (...entries: [PyValue, PyValue][]): PyValue => ({ type: 'dict', entries }),
  complex: (re: number, im: number): PyValue => ({ type: 'complex', re, im }),
};

/** Python's repr of a float: shortest round-trip digits, always with a '.', 'e' or a name. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0.0';
  const abs = Math.abs(x);
  if (abs >= 1e16 || (abs !== 0 && abs < 1e-4)) {
    // JS writes 1e+21 / 1e-7; Python writes 1e+21 / 1e-07 and switches to exponent at 1e16.
    const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(x);
  return text.includes('.') ? text : `${text}.0`;
}

function quoteStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** A readable Python-like rendering, for reports and the UI (close to Python's repr). */
export function pyRepr(value: PyValue): string {
  switch (value.type) {
    case 'none':
      return 'None';
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'int':
      return value.value.toString();
    case 'float': {
      const r = floatRepr(value.value);
      return Number.isFinite(value.value) ? r : `float('${r}')`;
    }
    case 'complex':
      return `(${floatRepr(value.re)}${value.im < 0 || Object.is(value.im, -0) ? '' : '+'}${floatRepr(value.im)}j)`;
    case 'str':
      return quoteStr(value.value);
    case 'bytes':
      return `bytes.fromhex('${value.hex}')`;
    case 'list':
      return `[${value.items.map(pyRepr).join(', ')}]`;
    case 'tuple':
      return value.items.length === 1
        ? `(${pyRepr(value.items[0]!)},)`
        : `(${value.items.map(pyRepr).join(', ')})`;
    case 'set':
      return value.items.length === 0 ? 'set()' : `{${value.items.map(pyRepr).join(', ')}}`;
    case 'dict':
      return `{${value.entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
}
