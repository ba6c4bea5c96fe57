/**
 * The page's state and its URL form: `#tab=line&x=0.1&as=float16&c=e5m7,e4m3b7-fn…`. Only
 * values that differ from the defaults are written, so a plain link is short; anything the
 * hash gets wrong falls back to the default for that field alone.
 */

/** The page's tabs, in the order they are shown. */
export const TABS = ['explorer', 'line', 'blocks', 'demo', 'checkpoint'] as const;
/** One tab. */
export type Tab = (typeof TABS)[number];

/** Everything a link reproduces. */
export interface PageState {
  /** The tab shown. */
  tab: Tab;
  /** The text in the input box. */
  x: string;
  /** `'value'`, or the name of the format whose code the input is. */
  as: string;
  /** Custom format specs, one per added column (see custom.ts). */
  custom: string[];
  /** The number line's format. */
  line: string;
  /** The number line's view: log2 of its left and right ends. */
  lo: number;
  hi: number;
  /** The block tab's input: numbers separated by commas or white space. */
  block: string;
  /** The demo's seed and steps. */
  seed: number;
  steps: number;
}

/** The state of a page opened without a hash. */
export const DEFAULT_STATE: Readonly<PageState> = Object.freeze({
  tab: 'explorer',
  x: '0.1',
  as: 'value',
  custom: [],
  line: 'float8_e4m3fn',
  lo: -10,
  hi: 10,
  block: '',
  seed: 0,
  steps: 400,
});

type Codec<K extends keyof PageState> = {
  read: (text: string) => PageState[K] | undefined;
  write: (value: PageState[K]) => string;
};

const text = { read: (t: string) => t, write: (v: string) => v };
const finite = (t: string) => (t.trim() !== '' && Number.isFinite(Number(t)) ? Number(t) : undefined);
const integer = (lo: number) => (t: string) => {
  const n = finite(t);
  return n !== undefined && Number.isSafeInteger(n) && n >= lo ? n : undefined;
};

/** How each field is read from and written to the hash: one entry per field. */
const FIELDS: { [K in keyof PageState]: Codec<K> } = {
  tab: { read: (t) => ((TABS as readonly string[]).includes(t) ? (t as Tab) : undefined), write: String },
  x: text,
  as: text,
  custom: { read: (t) => t.split(',').filter((s) => s !== ''), write: (v) => v.join(',') },
  line: text,
  lo: { read: finite, write: String },
  hi: { read: finite, write: String },
  block: text,
  seed: { read: integer(0), write: String },
  steps: { read: integer(1), write: String },
};

/** The hash (without `#`) of a state: the fields that differ from the defaults. */
export function stateToHash(state: PageState): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(FIELDS) as (keyof PageState)[]) {
    const codec = FIELDS[key] as Codec<typeof key>;
    const written = codec.write(state[key] as never);
    if (written !== codec.write(DEFAULT_STATE[key] as never)) params.set(key, written);
  }
  return params.toString();
}

/** The state a hash describes; missing or unreadable fields take their defaults. */
export function hashToState(hash: string): PageState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state: PageState = { ...DEFAULT_STATE, custom: [...DEFAULT_STATE.custom] };
  for (const key of Object.keys(FIELDS) as (keyof PageState)[]) {
    const raw = params.get(key);
    if (raw === null) continue;
    const value = (FIELDS[key] as Codec<typeof key>).read(raw);
    if (value !== undefined) (state as Record<keyof PageState, unknown>)[key] = value;
  }
  if (!(state.lo < state.hi)) [state.lo, state.hi] = [DEFAULT_STATE.lo, DEFAULT_STATE.hi];
  return state;
}
