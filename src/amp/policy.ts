/**
 * Precision policies, named as PyTorch Lightning's `precision` flags. A policy is derived
 * from two facts — the low-precision dtype and whether training is mixed — never from its name.
 */
import { describe } from '../core/validation.js';
import { type Format, format, resolveFormat } from '../formats.js';

/** Lightning's precision flags. */
export type PrecisionName = '64-true' | '32-true' | '16-mixed' | 'bf16-mixed' | '16-true' | 'bf16-true';

/** A precision flag, or `'<format>-mixed'` / `'<format>-true'` for any format name or alias (e.g. `'fp8_e4m3fn-mixed'`). */
export type PrecisionLike = PrecisionName | PrecisionPolicy | (string & {});

/** What a precision means for training, derived from its dtype and whether it is mixed. */
export interface PrecisionPolicy {
  /** The flag: `'16-mixed'`, `'bf16-true'`, `'float8_e4m3fn-mixed'`… */
  readonly name: string;
  /** The dtype of matmuls, activations and their gradients (autocast's dtype under `*-mixed`). */
  readonly compute: Format;
  /** The dtype parameters and optimizer state are kept in: float32 under `*-mixed`, the compute dtype under `*-true`. */
  readonly param: Format;
  /** The dtype of the loss and softmax: float32 under `*-mixed` (autocast runs them in float32), the compute dtype otherwise. */
  readonly loss: Format;
  /** An fp32 master copy of each parameter is kept and cast to the compute dtype after every step. */
  readonly masterWeights: boolean;
  /** The loss is scaled by a {@link GradScaler}: mixed training in a dtype whose normal range stops above float32's (float16, float8), as Lightning does. */
  readonly lossScaling: boolean;
}

/** Lightning's flags: the prefix names a format, the suffix says whether training is mixed. */
const LIGHTNING_PREFIXES: Readonly<Record<string, string>> = {
  '64': 'float64',
  '32': 'float32',
  '16': 'float16',
  bf16: 'bfloat16',
};

/**
 * Lightning's precision flags, in the order its docs list them.
 *
 * @example
 * ```ts
 * PRECISIONS.length;    // 6
 * PRECISIONS[2];        // '16-mixed'
 * ```
 */
export const PRECISIONS: readonly PrecisionName[] = Object.freeze([
  '64-true',
  '32-true',
  '16-mixed',
  'bf16-mixed',
  '16-true',
  'bf16-true',
]);

const FLOAT32 = format('float32');
const POLICIES = new Map<string, PrecisionPolicy>();
const KNOWN = new WeakSet<PrecisionPolicy>();

/** The policy of training in `compute`, mixed (fp32 masters, float32 loss) or true (everything in `compute`). */
function derivePolicy(fn: string, name: string, compute: Format, mixed: boolean): PrecisionPolicy {
  if (mixed && compute.bits >= FLOAT32.bits) {
    throw new RangeError(
      `${fn}: ${JSON.stringify(name)}: mixed precision needs a compute dtype narrower than float32, got ${compute.name}`,
    );
  }
  const policy: PrecisionPolicy = Object.freeze({
    name,
    compute,
    param: mixed ? FLOAT32 : compute,
    loss: mixed ? FLOAT32 : compute,
    masterWeights: mixed,
    lossScaling: mixed && compute.emin > FLOAT32.emin,
  });
  KNOWN.add(policy);
  return policy;
}

/**
 * The policy of a precision flag.
 *
 * @param precision - one of {@link PRECISIONS}, `'<format>-mixed'` or `'<format>-true'` for any format, or a policy
 * @throws RangeError for an unknown flag or format, or a mixed policy whose dtype is not narrower than float32
 * @example
 * ```ts
 * precisionPolicy('16-mixed').compute.name;     // 'float16'
 * precisionPolicy('16-mixed').param.name;       // 'float32'
 * precisionPolicy('16-mixed').lossScaling;      // true
 * precisionPolicy('bf16-mixed').lossScaling;    // false (bfloat16 has float32's range)
 * precisionPolicy('bf16-true').param.name;      // 'bfloat16'
 * precisionPolicy('fp8_e4m3fn-mixed').compute.name; // 'float8_e4m3fn'
 * ```
 */
export function precisionPolicy(precision: PrecisionLike): PrecisionPolicy {
  return resolvePolicy('precisionPolicy', precision);
}

/** {@link precisionPolicy} with the caller's name in errors. @internal */
export function resolvePolicy(fn: string, precision: unknown, param = 'precision'): PrecisionPolicy {
  if (typeof precision === 'object' && precision !== null && KNOWN.has(precision as PrecisionPolicy))
    return precision as PrecisionPolicy;
  if (typeof precision !== 'string') {
    throw new TypeError(`${fn}: ${param} must be a precision flag such as '16-mixed', got ${describe(precision)}`);
  }
  const cached = POLICIES.get(precision);
  if (cached) return cached;
  const m = /^(.+)-(true|mixed)$/.exec(precision);
  let compute: Format | undefined;
  if (m) {
    try {
      compute = resolveFormat(fn, LIGHTNING_PREFIXES[m[1]!] ?? m[1]!);
    } catch {
      compute = undefined;
    }
  }
  if (!m || !compute) {
    throw new RangeError(
      `${fn}: unknown ${param} ${JSON.stringify(precision)}; the flags are ${PRECISIONS.join(', ')}, or '<format>-mixed' / '<format>-true'`,
    );
  }
  const policy = derivePolicy(fn, precision, compute, m[2] === 'mixed');
  POLICIES.set(precision, policy);
  return policy;
}
