// Loaded with `node --import`: prints the process's peak resident memory (KiB) on stderr at exit.
// VmHWM from /proc is this process's own peak; getrusage's ru_maxrss can carry the peak of the
// process that forked it across exec on Linux, so it is only the fallback.
import { readFileSync } from 'node:fs';

process.on('exit', () => {
  let kib = process.resourceUsage().maxRSS;
  try {
    kib = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
  } catch {}
  process.stderr.write(`\nMAXRSS_KIB ${kib}\n`);
});
