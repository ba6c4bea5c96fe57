/**
 * The temporary file a command writes before renaming it into place: a hidden name beside the
 * target, shortened when the target's name leaves no room under the 255-byte limit, and removed
 * when the process is stopped by SIGINT, SIGTERM or SIGHUP.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** The signals after which a temporary file is removed; the exit code is then 128 + the signal's number. */
export const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The longest file name (in bytes) common file systems take. */
const NAME_MAX = 255;

/**
 * A fresh hidden name in the directory of `target`: `.<target's name>.floatlab-<pid>-<8 hex>.tmp`,
 * or `.floatlab-<pid>-<8 hex>.tmp` when that would pass 255 bytes (the temporary name gives way,
 * never the user's).
 */
export function tempNameBeside(target: string): string {
  const suffix = `.floatlab-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const long = `.${basename(target)}${suffix}`;
  return join(dirname(target), Buffer.byteLength(long) <= NAME_MAX ? long : suffix);
}

/**
 * Until the returned function is called, a SIGINT, SIGTERM or SIGHUP removes `path` (or every path
 * in the array `path` holds at that moment) and ends the process with exit code 128 + the signal's
 * number (130, 143, 129), as a shell reports a command a signal stopped.
 */
export function removeOnSignal(path: string | readonly string[]): () => void {
  const handlers = CLEANUP_SIGNALS.map((signal) => {
    const handler = () => {
      for (const p of typeof path === 'string' ? [path] : path) {
        try {
          unlinkSync(p);
        } catch {
          // already renamed into place or never created
        }
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
