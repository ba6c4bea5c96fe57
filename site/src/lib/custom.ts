/**
 * Custom formats in the URL: `e5m7` (bias defaulted), `e5m7b12`, `e4m3b7-fn`. One spec string
 * per custom column; the format itself comes from floatlab's defineFormat, made once per spec.
 */
import { defineFormat, FORMAT_KINDS, type Format, type FormatKind, type FormatSpec } from 'floatlab';

const SPEC = /^e(\d+)m(\d+)(?:b(-?\d+))?(?:-([a-z]+))?$/;

/** The fields of a custom format spec string, or an error message. */
export function parseCustomSpec(text: string): { ok: true; spec: FormatSpec } | { ok: false; error: string } {
  const m = SPEC.exec(text.trim().toLowerCase());
  if (!m) return { ok: false, error: `not a format spec: ${JSON.stringify(text)} (e.g. e5m7, e4m3b7-fn)` };
  const [, e, man, b, k = 'ieee'] = m;
  if (!(FORMAT_KINDS as readonly string[]).includes(k)) {
    return { ok: false, error: `unknown kind ${JSON.stringify(k)}: one of ${FORMAT_KINDS.join(', ')}` };
  }
  const spec: FormatSpec = {
    name: customName(Number(e), Number(man), b === undefined ? undefined : Number(b), k as FormatKind),
    expBits: Number(e),
    manBits: Number(man),
    kind: k as FormatKind,
  };
  if (b !== undefined) spec.bias = Number(b);
  return { ok: true, spec };
}

/** The spec string (and format name) of a custom format: `e<E>m<M>[b<bias>][-<kind>]`, kind omitted when 'ieee'. */
export function customName(expBits: number, manBits: number, bias: number | undefined, kind: FormatKind): string {
  return `e${expBits}m${manBits}${bias === undefined ? '' : `b${bias}`}${kind === 'ieee' ? '' : `-${kind}`}`;
}

const MADE = new Map<string, Format>();

/** The custom format of a spec string (the same Format object each time), or the reason it cannot be made. */
export function customFormat(text: string): { ok: true; format: Format } | { ok: false; error: string } {
  const parsed = parseCustomSpec(text);
  if (!parsed.ok) return parsed;
  const { spec } = parsed;
  let F = MADE.get(spec.name);
  if (!F) {
    try {
      F = defineFormat(spec);
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
    MADE.set(spec.name, F);
  }
  return { ok: true, format: F };
}
