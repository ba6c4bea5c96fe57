/**
 * The temporary file a command writes before renaming it into place: a short name beside the
 * target (a long target name must still leave room under the 255-byte name limit), removed when
 * the process is stopped by SIGINT, SIGTERM or SIGHUP.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';

/** The signals after which a temporary file is removed; the exit code is then 128 + the signal's number. */
export const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A fresh hidden name in the directory of `target`: `.floatlab-<pid>-<8 hex>.tmp`, whatever the length of target's name. */
export function tempNameBeside(target: string): string {
  return join(dirname(target), `.floatlab-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Until the returned function is called, a SIGINT, SIGTERM or SIGHUP removes `path` and ends the
 * process with exit code 128 + the signal's number (130, 143, 129), as a shell reports a command
 * a signal stopped.
 */
export function removeOnSignal(path: string): () => void {
  const handlers = CLEANUP_SIGNALS.map((signal) => {
    const handler = () => {
      try {
        unlinkSync(path);
      } catch {
        // already renamed into place or never created
      }
      process.exit(128 + constants.signals[signal]);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
