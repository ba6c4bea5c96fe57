/** The page's URL state: defaults stay out of the hash, every field survives the round trip, bad fields fall back alone. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, hashToState, type PageState, stateToHash } from '../../site/src/lib/state.js';

const FULL: PageState = {
  tab: 'blocks',
  x: '0x3c00 & more=#?',
  as: 'float16',
  custom: ['e5m7', 'e4m3b7-fn'],
  line: 'bfloat16',
  lo: -3.5,
  hi: 12,
  block: '1, 2, 3e-5',
  seed: 7,
  steps: 25,
};

describe('URL state', () => {
  it('the default state is the empty hash, and the empty hash the default state', () => {
    expect(stateToHash({ ...DEFAULT_STATE, custom: [] })).toBe('');
    expect(hashToState('')).toEqual(DEFAULT_STATE);
  });

  it('every field survives the round trip, with or without the #', () => {
    const hash = stateToHash(FULL);
    expect(hashToState(hash)).toEqual(FULL);
    expect(hashToState(`#${hash}`)).toEqual(FULL);
  });

  it.each(Object.keys(FULL) as (keyof PageState)[])('%s alone is written alone', (key) => {
    const hash = stateToHash({ ...DEFAULT_STATE, [key]: FULL[key] });
    expect([...new URLSearchParams(hash).keys()]).toEqual([key]);
    expect(hashToState(hash)[key]).toEqual(FULL[key]);
  });

  it.each([
    ['tab=nowhere', 'tab'],
    ['seed=-1', 'seed'],
    ['seed=1.5', 'seed'],
    ['steps=0', 'steps'],
    ['lo=abc', 'lo'],
    ['lo=', 'lo'],
  ] as const)('%s falls back to the default %s and keeps the rest', (bad, key) => {
    const state = hashToState(`${bad}&x=2`);
    expect(state[key]).toEqual(DEFAULT_STATE[key]);
    expect(state.x).toBe('2');
  });

  it('a view whose ends are out of order is reset', () => {
    expect(hashToState('lo=5&hi=1')).toMatchObject({ lo: DEFAULT_STATE.lo, hi: DEFAULT_STATE.hi });
  });
});
