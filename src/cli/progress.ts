/**
 * A progress bar on stderr for long runs — only when stderr is a terminal, so scripts and
 * pipes see clean output. cli-progress draws it: bytes done of the whole model, rate, ETA, and
 * the tensor at hand; it shows 100 % before it goes.
 */
import cliProgress from 'cli-progress';
import type { CliIO } from './io.js';

/** Runs over fewer bytes than this finish too fast for a bar to help. */
export const PROGRESS_MIN_BYTES = 64 * 1024 * 1024;

export interface Progress {
  /** `bytes` more are done, now in `tensor`. */
  advance(bytes: number, tensor: string): void;
  stop(): void;
}

const NONE: Progress = { advance() {}, stop() {} };

const mib = (b: number) => (b / 1048576).toFixed(0);

export function progress(io: CliIO, totalBytes: number, label: string): Progress {
  if (!io.errIsTTY || totalBytes < PROGRESS_MIN_BYTES) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} {bar} {percentage}% | {done}/{all} MiB | {rate} MiB/s | ETA {eta_formatted} | {tensor}`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let done = 0;
  bar.start(totalBytes, 0, { done: 0, all: mib(totalBytes), rate: '0', tensor: '' });
  const payload = (tensor: string) => ({
    done: mib(done),
    all: mib(totalBytes),
    rate: mib((done / Math.max(1e-3, performance.now() - started)) * 1000),
    tensor,
  });
  return {
    advance(bytes, tensor) {
      done += bytes;
      bar.update(done, payload(tensor));
    },
    stop() {
      done = totalBytes;
      bar.update(totalBytes, payload('done'));
      bar.stop();
    },
  };
}
