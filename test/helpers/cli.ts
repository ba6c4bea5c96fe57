/** Runs the floatlab command in-process, through runCli as the binary does: exit code, stdout, stderr. */
import { runCli } from '../../src/cli/program.js';

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), errIsTTY: false });
  return { code, out, err };
}
