/**
 * The checkpoint inspector's worker: reads the dropped files slice by slice and checks their
 * tensors off the page's thread, posting progress (at most every 50 ms) and then the rows.
 */
import { type Format, format } from 'floatlab';
import type { InspectMessage, InspectRequest } from './lib/checkpoint.js';
import { inspectFiles } from './lib/checkpoint.js';
import { customFormat } from './lib/custom.js';

/** What the worker's global scope offers that this file uses (the page's types are the DOM's). */
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<InspectRequest>) => void) | null;
  postMessage(message: InspectMessage): void;
};

scope.onmessage = async (e) => {
  const { files, target } = e.data;
  try {
    let F: Format;
    if ('spec' in target) {
      const made = customFormat(target.spec);
      if (!made.ok) throw new Error(made.error);
      F = made.format;
    } else F = format(target.name);
    let last = 0;
    const rows = await inspectFiles(
      files.map((f) => ({ name: f.name, blob: f })),
      F,
      (p) => {
        const now = Date.now();
        if (now - last >= 50 || p.done === p.total) scope.postMessage({ type: 'progress', ...p }), (last = now);
      },
    );
    scope.postMessage({ type: 'done', rows });
  } catch (err) {
    scope.postMessage({ type: 'error', message: String((err as Error)?.message ?? err) });
  }
};
