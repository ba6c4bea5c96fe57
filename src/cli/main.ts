/** The `floatlab` command's entry point. */
import { processIO } from './io.js';
import { runCli } from './program.js';

/**
 * Exit code when standard output is closed under us (`floatlab scan … | head`): 141, what a
 * shell reports for a command that SIGPIPE stopped, quietly, as other Unix tools end then.
 */
const EPIPE_EXIT_CODE = 141;

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EPIPE_EXIT_CODE);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), processIO);
