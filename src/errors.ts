/**
 * Validation at the public boundary. Every thrown error names the function and
 * the parameter (and, for arrays, the index), so a caller can find the bad value.
 * @internal
 */

/** A short, human description of a value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  switch (typeof value) {
    case 'number':
      return Number.isNaN(value) ? 'NaN' : `the number ${String(value)}`;
    case 'bigint':
      return `the bigint ${value}n`;
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** Throws a TypeError unless `value` is a JS number (NaN and ±Infinity are numbers). */
export function checkNumber(fn: string, param: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${fn}: ${param} must be a number, got ${describe(value)}`);
  }
  return value;
}

/** Throws a TypeError unless `value` is a boolean or undefined (then `fallback`). */
export function checkBoolean(fn: string, param: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${fn}: ${param} must be a boolean, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `opts` is undefined or a plain object whose keys are all in `allowed`. */
export function checkOptionsObject(
  fn: string,
  opts: unknown,
  allowed: readonly string[],
): Record<string, unknown> | undefined {
  if (opts === undefined) return undefined;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts) || ArrayBuffer.isView(opts)) {
    throw new TypeError(`${fn}: opts must be an object or undefined, got ${describe(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new RangeError(`${fn}: unknown option "${key}"; the options are ${allowed.join(', ')}`);
    }
  }
  return opts as Record<string, unknown>;
}
