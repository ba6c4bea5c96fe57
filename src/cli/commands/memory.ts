/** `floatlab memory --params N`: the estimateMemory breakdown, in bytes people read. */
import { estimateMemory, type MemoryEstimate, type OptimizerName } from '../../amp/memory.js';
import { type PrecisionPolicy, resolvePolicy } from '../../amp/policy.js';
import { table } from '../../core/table.js';
import { type CliIO, toJson } from '../io.js';
import { InputError } from '../values.js';

export interface MemoryCommandOptions {
  params: string;
  optimizer: OptimizerName;
  precision: string;
  json?: boolean;
}

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

/** A parameter count: `7000000000`, `7e9`, `7B`, `1.5M`, `125k`. */
export function parseCount(text: string): number {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmbgt]?)$/i.exec(text.trim());
  const n = m ? Number(m[1]) * SUFFIX[m[2]!.toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InputError(`--params must be a whole number of parameters such as 7e9, 7B or 125M, got ${JSON.stringify(text)}`);
  }
  return n;
}

function scaled(bytes: number, base: number, units: string[]): string {
  let k = 0;
  while (k < units.length - 1 && bytes >= base ** (k + 1)) k++;
  return `${Number((bytes / base ** k).toPrecision(4))} ${units[k]}`;
}

/** 112000000000 → '112 GB (104.3 GiB)'. */
export function humanBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  return `${scaled(bytes, 1000, ['B', 'kB', 'MB', 'GB', 'TB', 'PB'])} (${scaled(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'])})`;
}

const ROWS: [keyof MemoryEstimate, string][] = [
  ['weights', 'weights'],
  ['gradients', 'gradients'],
  ['master', 'fp32 master weights'],
  ['optimizerState', 'optimizer state'],
  ['total', 'total to train'],
  ['inference', 'inference (weights)'],
];

export function memoryCommand(opts: MemoryCommandOptions, io: CliIO): number {
  const parameters = parseCount(opts.params);
  let policy: PrecisionPolicy;
  try {
    policy = resolvePolicy('floatlab', opts.precision, '--precision');
  } catch (err) {
    throw new InputError((err as Error).message.replace(/^floatlab: /, ''));
  }
  const m = estimateMemory({ parameters, optimizer: opts.optimizer, precision: policy });
  if (opts.json) {
    io.out(
      toJson({
        parameters,
        optimizer: opts.optimizer,
        precision: policy.name,
        compute: policy.compute.name,
        param: policy.param.name,
        ...m,
      }),
    );
    return 0;
  }
  const perParam = (b: number) => (parameters > 0 ? `${Number((b / parameters).toPrecision(4))} B/param` : '');
  io.out(
    `${parameters.toLocaleString('en-US')} parameters, ${opts.optimizer}, ${policy.name} (compute ${policy.compute.name}, parameters ${policy.param.name})\n`,
  );
  io.out(
    `${table(
      ['', 'bytes', '', 'per parameter'],
      ROWS.map(([k, label]) => [label, String(m[k]), humanBytes(m[k]), perParam(m[k])]),
    )}\n`,
  );
  return 0;
}
