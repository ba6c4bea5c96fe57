/**
 * How documentation writes a value in `expression; // value` lines, and whether a value matches
 * such a comment: shared by the TSDoc example test and the checks of code blocks in docs/.
 */

/** How the comment writes a value. */
export function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return `${v.constructor.name} [${Array.from(v as unknown as ArrayLike<unknown>, show).join(', ')}]`;
  }
  return JSON.stringify(v);
}

/** The value part of a comment: drop a trailing parenthetical note; accept an equivalent number spelling. */
export function matches(actual: unknown, comment: string): boolean {
  const text = comment.replace(/\s+\(.*\)\s*$/, '').trim();
  if (show(actual) === text) return true;
  if (typeof actual === 'number' && /^-?[\d.]+(e[-+]?\d+)?$/i.test(text)) return Object.is(actual, Number(text));
  return false;
}
