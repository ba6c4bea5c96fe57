/** The generated docs are fresh: each committed file equals what `npm run docs` makes now. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED } from '../../docs/make/generated.js';

describe.each(Object.entries(GENERATED))('docs/%s', (file, make) => {
  it('is up to date (run `npm run docs` if this fails)', () => {
    const committed = readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8');
    expect(committed === make(), `docs/${file} is stale: run npm run docs`).toBe(true);
  });
});
