/**
 * The demo's worker: runs every row of the demo (the package's default rows, the PTQ table of the
 * float32 run included), posting each row's losses as it trains, every 10 steps so the page draws
 * the curves live without being flooded, and then the whole result.
 */
import type { DemoMessage, DemoRequest } from './lib/demo.js';
import { runDemo } from './lib/demo-run.js';

/** What the worker's global scope offers that this file uses (the page's types are the DOM's). */
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<DemoRequest>) => void) | null;
  postMessage(message: DemoMessage): void;
};

scope.onmessage = (e) => {
  const { seed, steps } = e.data;
  try {
    let pending: number[] = [];
    const result = runDemo({
      seed,
      steps,
      onStep: (precision, step, loss) => {
        pending.push(loss);
        if (pending.length >= 10 || step === steps) {
          scope.postMessage({ type: 'step', precision, step, losses: pending });
          pending = [];
        }
      },
    });
    scope.postMessage({ type: 'result', result });
  } catch (err) {
    scope.postMessage({ type: 'error', message: String((err as Error)?.message ?? err) });
  }
};
