/**
 * The Python literals of a `.npy` header, parsed as `ast.literal_eval` (what numpy's
 * `_read_array_header` calls) reads them, for the part of the language a header can hold:
 * strings ('…' or "…", escapes, adjacent ones joined), integers (decimal, `_` separators; the `L`
 * suffix of Python 2, which numpy strips for versions 1 and 2), `True`, `False`, `None`, tuples,
 * lists and dicts with string keys. Stricter than Python where a header must be: a repeated key,
 * an integer past 2^53 or anything after the value is an error, never a silently different header.
 */

/** A parsed literal: tuples and lists keep their kind (a shape must be a tuple). */
export type PyValue =
  | string
  | number
  | boolean
  | null
  | { kind: 'tuple' | 'list'; items: PyValue[] }
  | { kind: 'dict'; entries: Map<string, PyValue> };

/** How deep containers may nest; a header has two levels (a structured dtype a few more). */
const MAX_DEPTH = 32;

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '\n': '',
};
const INTEGER = /(0(?:_?0)*|[1-9](?:_?\d)*)(L?)(?![\w.])/y;

/**
 * Parses `text` as one Python literal followed by nothing but whitespace; throws
 * `fail(message, index)` at the first problem. `longSuffix` accepts Python 2's `3L`.
 */
export function parsePyLiteral(text: string, longSuffix: boolean, fail: (message: string, index: number) => never): PyValue {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r\f'.includes(text[i]!)) i++;
  };
  const found = () => (i < text.length ? JSON.stringify(text.slice(i, i + 12).trimEnd()) : 'the end');

  const quoted = (): string => {
    const quote = text[i]!;
    const start = i++;
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') fail('unterminated string', start);
      i++;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      if (e === undefined) fail('unterminated string', start);
      if (e in ESCAPES) out += ESCAPES[e];
      else if (e === 'x' || e === 'u' || e === 'U') {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = text.slice(i, i + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) fail(`bad \\${e} escape`, i - 2);
        const cp = Number.parseInt(hex, 16);
        if (cp > 0x10ffff) fail(`bad \\${e} escape`, i - 2);
        out += String.fromCodePoint(cp);
        i += n;
      } else if (e >= '0' && e <= '7') {
        const m = /^[0-7]{1,3}/.exec(text.slice(i - 1, i + 2))![0];
        out += String.fromCharCode(Number.parseInt(m, 8));
        i += m.length - 1;
      } else out += `\\${e}`; // Python keeps an unknown escape as it is
    }
  };

  const items = (close: string, depth: number): { items: PyValue[]; comma: boolean } => {
    const out: PyValue[] = [];
    let comma = false;
    for (;;) {
      ws();
      if (text[i] === close) return (i++, { items: out, comma });
      out.push(value(depth + 1));
      ws();
      if (text[i] === ',') {
        i++;
        comma = true;
      } else if (text[i] !== close) fail(`expected ',' or '${close}', found ${found()}`, i);
    }
  };

  const value = (depth: number): PyValue => {
    ws();
    if (depth > MAX_DEPTH) fail(`containers nested deeper than ${MAX_DEPTH}`, i);
    const c = text[i];
    if (c === "'" || c === '"') {
      let s = quoted();
      for (ws(); text[i] === "'" || text[i] === '"'; ws()) s += quoted(); // 'a' 'b' is 'ab'
      return s;
    }
    if (c === '(') {
      i++;
      const r = items(')', depth);
      // (x) is x; (x,) and () are tuples
      return r.items.length === 1 && !r.comma ? r.items[0]! : { kind: 'tuple', items: r.items };
    }
    if (c === '[') {
      i++;
      return { kind: 'list', items: items(']', depth).items };
    }
    if (c === '{') {
      const at = i++;
      const entries = new Map<string, PyValue>();
      for (;;) {
        ws();
        if (text[i] === '}') return (i++, { kind: 'dict', entries });
        const keyAt = i;
        const key = value(depth + 1);
        if (typeof key !== 'string') fail('a dict key that is not a string', keyAt);
        if (entries.has(key)) fail(`key ${JSON.stringify(key)} appears twice`, keyAt);
        ws();
        if (text[i] !== ':') fail(`expected ':' after a key, found ${found()}`, i);
        i++;
        entries.set(key, value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail(`expected ',' or '}', found ${found()}`, i);
        if (i >= text.length) fail('unterminated dict', at);
      }
    }
    for (const [word, v] of [
      ['True', true],
      ['False', false],
      ['None', null],
    ] as const) {
      if (text.startsWith(word, i) && !/\w/.test(text[i + word.length] ?? '')) return ((i += word.length), v);
    }
    const sign = c === '-' ? -1 : 1;
    const at = i;
    if (c === '-' || c === '+') {
      i++;
      ws();
    }
    INTEGER.lastIndex = i;
    const m = INTEGER.exec(text);
    if (!m || (m[2] && !longSuffix)) fail(`expected a value, found ${found()}`, at);
    const n = Number(m[1]!.replaceAll('_', ''));
    if (!Number.isSafeInteger(n)) fail(`integer ${m[1]} is past 2^53`, at);
    i = INTEGER.lastIndex;
    return sign < 0 && n !== 0 ? -n : n;
  };

  const result = value(0);
  ws();
  if (i < text.length) fail(`${found()} after the literal`, i);
  return result;
}
