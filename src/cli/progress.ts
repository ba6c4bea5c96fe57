/**
 * A progress bar on stderr for long files — only when stderr is a terminal, so scripts and
 * pipes see clean output. cli-progress draws it.
 */
import cliProgress from 'cli-progress';
import type { CliIO } from './io.js';

/** Files smaller than this finish too fast for a bar to help. */
export const PROGRESS_MIN_BYTES = 64 * 1024 * 1024;

export interface Progress {
  /** `bytes` more are done, now in `tensor`. */
  advance(bytes: number, tensor: string): void;
  stop(): void;
}

const NONE: Progress = { advance() {}, stop() {} };

export function progress(io: CliIO, totalBytes: number, label: string): Progress {
  if (!io.errIsTTY || totalBytes < PROGRESS_MIN_BYTES) return NONE;
  const mib = (b: number) => Math.round(b / 1048576);
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} {bar} {percentage}% | {done}/{all} MiB | {tensor}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  bar.start(totalBytes, 0, { done: 0, all: mib(totalBytes), tensor: '' });
  return {
    advance(bytes, tensor) {
      done += bytes;
      bar.update(done, { done: mib(done), tensor });
    },
    stop: () => bar.stop(),
  };
}
