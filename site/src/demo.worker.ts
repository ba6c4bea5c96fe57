/**
 * The demo's worker: runs each precision in turn (every run depends only on the seed, so one
 * policy at a time gives the numbers of one run of all), posting progress and each finished run.
 */
import type { DemoMessage, DemoRequest } from './lib/demo.js';
import { DEMO_PRECISIONS, runDemo } from './lib/demo-run.js';

/** What the worker's global scope offers that this file uses (the page's types are the DOM's). */
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<DemoRequest>) => void) | null;
  postMessage(message: DemoMessage): void;
};

scope.onmessage = (e) => {
  const { seed, steps } = e.data;
  try {
    scope.postMessage({ type: 'start', precisions: DEMO_PRECISIONS.map(String) });
    for (const precision of DEMO_PRECISIONS) {
      let last = 0;
      const result = runDemo({
        seed,
        steps,
        precisions: [precision],
        onStep: (p, step) => {
          // A message every 10 steps keeps the page informed without flooding it.
          if (step - last >= 10 || step === steps) scope.postMessage({ type: 'step', precision: p, step }), (last = step);
        },
      });
      scope.postMessage({ type: 'run', run: result.runs[0]!, config: result.config });
    }
    scope.postMessage({ type: 'done' });
  } catch (err) {
    scope.postMessage({ type: 'error', message: String((err as Error)?.message ?? err) });
  }
};
