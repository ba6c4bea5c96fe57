/**
 * The JSON of a safetensors header, parsed in one pass straight into what the format defines:
 * `{ name: { dtype, shape, data_offsets }, __metadata__?: { key: value } }`. No generic JSON value
 * is ever built, so memory grows only with the tensors a header really declares (a header of
 * millions of `{}` or `0` tokens fails at its first wrong token), nesting and shapes are bounded,
 * and names such as `__proto__` or `constructor` are plain strings, never object keys. The grammar
 * is JSON's (RFC 8259); what the reference (huggingface/safetensors, serde) ignores — members of a
 * tensor entry other than the three — is skipped without being kept.
 */

/** What the header states, handed over entry by entry so nothing is kept twice. */
export interface HeaderVisitor {
  /** A tensor entry, in header order (names are unique: a repeated one fails first). */
  tensor(name: string, dtype: string, shape: number[], begin: number, end: number): void;
  /**
   * The `__metadata__` object: its JSON text, checked to map strings to strings (a repeated key
   * is kept as the reference keeps it: JSON.parse takes the last, like serde's HashMap).
   */
  metadata(json: string): void;
}

/** The most dimensions a shape may have (numpy's NPY_MAXDIMS); a longer list is refused unread. */
export const MAX_RANK = 64;
/** How deep skipped values may nest (serde_json's recursion limit). */
export const MAX_DEPTH = 128;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const COUNT = /(?:0|[1-9]\d*)(?![\d.eE])/y;
const FIELDS = ['"dtype"', '"shape"', '"data_offsets"'] as const;

/** Parses header text `s` into `visit`; throws `fail(message, index)` at the first problem. */
export function parseHeaderJson(s: string, visit: HeaderVisitor, fail: (message: string, index: number) => never): void {
  let i = 0;
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\n' || s[i] === '\r' || s[i] === '\t')) i++;
  };
  const what = () => (i < s.length ? JSON.stringify(s[i]) : 'the end');
  const expect = (c: string) => {
    ws();
    if (s[i] !== c) fail(`expected '${c}', found ${what()}`, i);
    i++;
  };
  const string = (): string => {
    ws();
    if (s[i] !== '"') fail(`expected a string, found ${what()}`, i);
    const start = i++;
    let escaped = false;
    for (;;) {
      if (i >= s.length) fail('unterminated string', start);
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in a string', i);
      if (c === 0x5c) {
        escaped = true;
        i++;
      }
      i++;
    }
    i++;
    if (!escaped) return s.slice(start + 1, i - 1);
    try {
      return JSON.parse(s.slice(start, i)) as string;
    } catch {
      return fail('bad escape in a string', start);
    }
  };
  const count = (): number => {
    ws();
    COUNT.lastIndex = i;
    const m = COUNT.exec(s);
    if (!m) fail(`expected a non-negative integer, found ${what()}`, i);
    const v = Number(m[0]);
    if (!Number.isSafeInteger(v)) fail(`integer ${m[0]} is past 2^53`, i);
    i = COUNT.lastIndex;
    return v;
  };
  /** `[a, b, …]` of counts, at most `max` of them. */
  const counts = (max: number): number[] => {
    expect('[');
    const out: number[] = [];
    ws();
    if (s[i] === ']') return (i++, out);
    for (;;) {
      if (out.length === max) fail(`a list of more than ${max} integers`, i);
      out.push(count());
      ws();
      if (s[i] === ']') return (i++, out);
      expect(',');
    }
  };
  /** `{ "key": value, … }`, calling `member` with `i` at each value. */
  const object = (member: (key: string) => void) => {
    expect('{');
    ws();
    if (s[i] === '}') return void i++;
    for (;;) {
      const key = string();
      expect(':');
      member(key);
      ws();
      if (s[i] === '}') return void i++;
      expect(',');
    }
  };
  const skip = (depth: number): void => {
    ws();
    if (depth > MAX_DEPTH) fail(`values nested deeper than ${MAX_DEPTH}`, i);
    const c = s[i];
    if (c === '"') return void string();
    if (c === '{') return object(() => skip(depth + 1));
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') return void i++;
      for (;;) {
        skip(depth + 1);
        ws();
        if (s[i] === ']') return void i++;
        expect(',');
      }
    }
    for (const word of ['true', 'false', 'null']) if (s.startsWith(word, i)) return void (i += word.length);
    NUMBER.lastIndex = i;
    if (!NUMBER.exec(s)) fail(`expected a value, found ${what()}`, i);
    i = NUMBER.lastIndex;
  };

  if (s[0] !== '{') fail(`the header must start with '{', found ${what()}`, 0);
  const names = new Set<string>();
  let sawMetadata = false;
  object((name) => {
    const at = i;
    if (name === '__metadata__') {
      if (sawMetadata) fail('__metadata__ appears twice', at);
      sawMetadata = true;
      ws();
      if (s.startsWith('null', i)) return void (i += 4);
      const start = i;
      object(() => void string());
      visit.metadata(s.slice(start, i));
      return;
    }
    if (names.has(name)) fail(`names tensor ${JSON.stringify(name)} twice`, at);
    names.add(name);
    let dtype: string | undefined;
    let shape: number[] | undefined;
    let offsets: number[] | undefined;
    expect('{');
    ws();
    if (s[i] === '}') i++;
    else
      for (;;) {
        ws();
        // The three field names are matched in place: a header of a million tensors makes no
        // strings for them.
        const field = FIELDS.find((f) => s.startsWith(f, i));
        if (field) i += field.length;
        else string();
        expect(':');
        if (field && (field === FIELDS[0] ? dtype : field === FIELDS[1] ? shape : offsets) !== undefined) {
          fail(`tensor ${JSON.stringify(name)} has ${field} twice`, i);
        }
        if (field === FIELDS[0]) dtype = string();
        else if (field === FIELDS[1]) shape = counts(MAX_RANK);
        else if (field === FIELDS[2]) offsets = counts(2);
        else skip(3);
        ws();
        if (s[i] === '}') {
          i++;
          break;
        }
        expect(',');
      }
    if (dtype === undefined || shape === undefined || offsets?.length !== 2) {
      fail(`tensor ${JSON.stringify(name)} needs dtype, shape and data_offsets [begin, end]`, at);
    }
    visit.tensor(name, dtype, shape, offsets[0]!, offsets[1]!);
  });
  ws();
  if (i < s.length) fail(`${what()} after the header's closing '}'`, i);
}
