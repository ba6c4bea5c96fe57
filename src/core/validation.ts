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

/** Throws unless `value` is an integer in [lo, hi]; TypeError for a non-number. −0 is returned as 0. */
export function checkInteger(fn: string, param: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${param} must be a number, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new RangeError(`${fn}: ${param} must be an integer from ${lo} to ${hi}, got ${String(value)}`);
  }
  return value === 0 ? 0 : value;
}

/**
 * A number option: `fallback` when undefined, a TypeError for a non-number, a RangeError saying
 * `rule` unless `ok(value)`. −0 is returned as 0, so it never reaches a saved state.
 */
export function checkNumberOption<F extends number | undefined>(
  fn: string,
  param: string,
  value: unknown,
  fallback: F,
  ok: (x: number) => boolean,
  rule: string,
): number | F {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${param} must be a number, got ${describe(value)}`);
  if (!ok(value)) throw new RangeError(`${fn}: ${param} must be ${rule}, got ${String(value)}`);
  return value === 0 ? 0 : value;
}

/** Throws a TypeError unless `value` is a boolean or undefined (then `fallback`). */
export function checkBoolean(fn: string, param: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`${fn}: ${param} must be a boolean, got ${describe(value)}`);
  }
  return value;
}

/**
 * Throws a TypeError unless `value` is an object that is not an array or a typed array (the
 * shape of an options bag, a spec or a saved state); `expected` says what it should be.
 */
export function checkObject(fn: string, param: string, value: unknown, expected = 'an object'): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new TypeError(`${fn}: ${param} must be ${expected}, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Throws a RangeError naming the first key of `value` that is not in `allowed` (a misspelt option is an error, not ignored). */
export function checkKnownKeys(fn: string, value: object, allowed: readonly string[], noun: 'option' | 'field'): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new RangeError(`${fn}: unknown ${noun} "${key}"; the ${noun}s are ${allowed.join(', ')}`);
    }
  }
}

/** Throws unless `opts` is undefined or a plain object whose keys are all in `allowed`. */
export function checkOptionsObject(fn: string, opts: unknown, allowed: readonly string[]): Record<string, unknown> | undefined {
  if (opts === undefined) return undefined;
  const o = checkObject(fn, 'opts', opts, 'an object or undefined');
  checkKnownKeys(fn, o, allowed, 'option');
  return o;
}

/**
 * One of a few strings (a mode of an option): `fallback` when undefined, a TypeError for a
 * non-string, a RangeError listing the choices for any other string.
 */
export function checkChoice<T extends string>(fn: string, param: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    const list = choices.map((c) => `'${c}'`);
    const options = `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
    throw new (typeof value === 'string' ? RangeError : TypeError)(`${fn}: ${param} must be ${options}, got ${describe(value)}`);
  }
  return value as T;
}
