/**
 * The floatlab command: subcommands, parsed by commander, run against a {@link CliIO} and
 * returning the exit code: 0 success, 1 a check found overflow (with --fail-on-overflow),
 * 2 a usage or input error (one line on stderr).
 */
import { Command, CommanderError, Option } from 'commander';
import { DEMO_ROWS } from '../demo/recipes.js';
import { FILE_SCALES } from '../files/scaled.js';
import { OPTIMIZER_NAMES, ROUNDING_MODES } from '../index.js';
import { NAN_POLICIES } from '../options.js';
import { convertCommand } from './commands/convert.js';
import { demoCommand } from './commands/demo.js';
import { finfoCommand } from './commands/finfo.js';
import { castCommand, inspectCommand } from './commands/inspect.js';
import { memoryCommand } from './commands/memory.js';
import { scanCommand } from './commands/scan.js';
import type { CliIO } from './io.js';
import { VALUE_MARK } from './values.js';

const roundingOption = () =>
  new Option('-r, --rounding <mode>', 'rounding mode').choices([...ROUNDING_MODES]).default('tiesToEven');

/** `--keep PATTERN`, repeatable: each one adds a glob. */
const keepOption = () =>
  new Option(
    '-k, --keep <pattern>',
    "leave tensors whose name matches this glob in their dtype (repeatable: '*norm*' '*.bias' 'lm_head.*')",
  ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);

/** `--seed N` for stochastic rounding: each tensor draws from its own stream, derived from N and its name. */
const seedOption = () =>
  new Option('--seed <n>', 'seed of stochastic rounding (default 0); each tensor gets a stream derived from it and its name');

/** A string without the mark of {@link markNegativeValues}; arrays of strings likewise. */
function unmark(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(VALUE_MARK, '');
  return Array.isArray(value) ? value.map(unmark) : value;
}

/** An action that receives its arguments as they were typed (marks taken off). */
function action<A extends unknown[]>(run: (...args: A) => void | Promise<void>): (...args: A) => void | Promise<void> {
  return (...args) => run(...(args.map(unmark) as A));
}

export function buildProgram(io: CliIO, setCode: (code: number) => void): Command {
  const program = new Command('floatlab')
    .description('Bit-exact number formats of machine learning: finfo, casts, checkpoint range checks')
    .version(__VERSION__, '-V, --version')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  program
    .command('finfo')
    .description("machine limits: torch's finfo repr line per format (every format when none is named)")
    .argument('[formats...]', 'format names or aliases')
    .option('--table', 'every finfo field, as an aligned table')
    .option('--json', 'JSON output')
    .action(action((formats: string[], opts) => setCode(finfoCommand(formats, opts, io))));

  program
    .command('inspect')
    .description('how values are stored: code, bits, class, exact value, neighbours, ulp, rounding error')
    .argument('<format>', 'format name or alias')
    .argument('<values...>', 'decimals, inf, nan, hex floats (0x1.8p-3), or codes with --code')
    .addOption(roundingOption())
    .option('--all-modes', 'one row per rounding mode')
    .option('--code', 'the values are codes (0x3c00, 0b…, decimal)')
    .option('--saturate', 'clamp overflow to ±max')
    .option('--json', 'JSON output')
    .action(action((fmt: string, values: string[], opts) => setCode(inspectCommand(fmt, values, opts, io))));

  program
    .command('cast')
    .description('round values into a format')
    .argument('<values...>', 'decimals, inf, nan or hex floats')
    .requiredOption('-t, --to <format>', 'target format')
    .addOption(roundingOption())
    .option('--saturate', 'clamp overflow to ±max')
    .option('--json', 'JSON output')
    .action(action((values: string[], opts) => setCode(castCommand(values, opts, io))));

  program
    .command('scan')
    .description('what casting every floating-point tensor of a model to FORMAT would do')
    .argument(
      '<files...>',
      'a .safetensors, .npy or .npz file, a sharded model (its *.safetensors.index.json or directory), or several files',
    )
    .requiredOption('-t, --to <format>', 'target format')
    .addOption(roundingOption())
    .option('--saturate', 'clamp overflow to ±max (counted as overflow all the same)')
    .addOption(keepOption())
    .addOption(seedOption())
    .option('--fail-on-overflow', 'exit with 1 when any value overflows')
    .option('--json', 'JSON output (one entry per tensor, and the total)')
    .action(action(async (files: string[], opts) => setCode(await scanCommand(files, opts, io))));

  program
    .command('convert')
    .description(
      'rewrite the floating-point tensors of a model in FORMAT (names, shapes, other dtypes, kept tensors and metadata kept)',
    )
    .argument('<in>', 'a .safetensors file, or a sharded model: its *.safetensors.index.json or directory (never modified)')
    .argument('<out>', 'the .safetensors file to write, or for a sharded model the directory (written whole or not at all)')
    .requiredOption('-t, --to <format>', "target format ('nvfp4': ModelOpt's NVFP4 weights with their scales)")
    .addOption(roundingOption())
    .option('--saturate', 'clamp overflow to ±max instead of inf/NaN')
    .addOption(keepOption())
    .addOption(seedOption())
    .addOption(
      new Option(
        '--nan <policy>',
        "NaN codes written: 'canonical' (the format's one NaN) or 'preserve' (sign and payload, as numpy)",
      )
        .choices([...NAN_POLICIES])
        .default('canonical'),
    )
    .addOption(
      new Option(
        '--scale <granularity>',
        "with --to float8_e4m3fn: 2-D '.weight' tensors as FP8 codes with a float32 '<name>_scale' (compressed-tensors layout)",
      ).choices([...FILE_SCALES]),
    )
    .option('--fail-on-overflow', 'exit with 1 when any value overflows (the file is written all the same)')
    .option('--json', 'JSON output')
    .action(action(async (input: string, output: string, opts) => setCode(await convertCommand(input, output, opts, io))));

  program
    .command('memory')
    .description('memory to train and to infer: weights, gradients, fp32 masters, optimizer state')
    .requiredOption('-p, --params <n>', 'number of parameters: 7e9, 7B, 125M, …')
    .addOption(new Option('-o, --optimizer <name>', 'optimizer').choices([...OPTIMIZER_NAMES]).default('adam'))
    .option(
      '--precision <flag>',
      "precision: 32-true, 16-mixed, bf16-mixed, 16-true, bf16-true, 64-true, or '<format>-mixed'",
      '32-true',
    )
    .option('--json', 'JSON output')
    .action(action((opts) => setCode(memoryCommand(opts, io))));

  program
    .command('demo')
    .description(`train one small MLP under ${DEMO_ROWS.join(', ')}, and compare`)
    .option('--json', 'JSON output')
    .option('--svg <file>', 'write the loss curves as an SVG chart')
    .option('--steps <n>', 'training steps per precision (default 400)')
    .option('--seed <n>', 'seed of the data, weights and batch order (default 0)')
    .option('--rows <list>', 'comma-separated rows to train (default: all of them)')
    .action(action(async (opts) => setCode(await demoCommand(opts, io))));

  return program;
}

/**
 * Values that start with '-' but are not numbers to commander (`-inf`, `-nan`, `-0x1p-3`) would be
 * taken for options: they are marked here, and the actions get them unmarked. The value of an option
 * (`--params -inf`) is left alone: commander takes the argument after such an option as it is.
 */
function markNegativeValues(program: Command, argv: string[]): string[] {
  const command = program.commands.find((c) => c.name() === argv[0]);
  return argv.map((a, i) => {
    const optionValue = i > 0 && command?.options.some((o) => o.required && (o.short === argv[i - 1] || o.long === argv[i - 1]));
    return !optionValue && /^-(inf|infinity|nan|0x[0-9a-f.]*(p[-+]?\d+)?)$/i.test(a) ? VALUE_MARK + a : a;
  });
}

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(markNegativeValues(program, argv), { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; every usage error is 2 (commander has already printed it)
      return err.exitCode === 0 ? 0 : 2;
    }
    // Bad input anywhere (a TypeError/RangeError from the library, an InputError from parsing,
    // a file error) is one line on stderr and exit code 2; FLOATLAB_DEBUG=1 shows the stack.
    if (process.env.FLOATLAB_DEBUG) io.err(`${(err as Error).stack}\n`);
    const message = String((err as Error).message ?? err).split('\n')[0] ?? '';
    // Every line names the subcommand (the messages name the parameter).
    const command = program.commands.find((c) => c.name() === argv[0])?.name();
    io.err(`floatlab: ${command && !message.startsWith(`${command}: `) ? `${command}: ` : ''}${message}\n`);
    return 2;
  }
}
