/**
 * Setup file (vitest.config.ts): one turn of the event loop after every test. Vitest runs
 * synchronous tests back to back without one, so a worker reads none of the runner's replies
 * until a whole file has run, and on a busy machine its progress reports time out (after 60 s).
 * With this turn, the worker is blocked no longer than its longest test body.
 */
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
