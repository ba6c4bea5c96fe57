/**
 * Training memory: the bytes of weights, gradients, master weights and optimizer state a
 * precision policy needs per parameter.
 */
import { checkKnownKeys, checkObject, describe } from '../core/validation.js';
import { storageCodec } from '../tensor/storage.js';
import { type PrecisionLike, resolvePolicy } from './policy.js';

/** How many parameter-sized state tensors each optimizer keeps. */
const OPTIMIZER_STATES = { sgd: 0, 'sgd-momentum': 1, adam: 2, adamw: 2 } as const;

/** The optimizers {@link estimateMemory} knows. */
export type OptimizerName = keyof typeof OPTIMIZER_STATES;

/**
 * The names {@link estimateMemory} takes for `optimizer`.
 * @example
 * ```ts
 * OPTIMIZER_NAMES;   // ['sgd', 'sgd-momentum', 'adam', 'adamw']
 * ```
 */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = Object.freeze(Object.keys(OPTIMIZER_STATES) as OptimizerName[]);

/** What {@link estimateMemory} takes. */
export interface MemoryOptions {
  /** Number of parameters. */
  parameters: number;
  /** The optimizer; default `'adam'`. */
  optimizer?: OptimizerName;
  /** The precision policy; default `'32-true'`. */
  precision?: PrecisionLike;
}

/** Bytes, by what they hold. */
export interface MemoryEstimate {
  /** The weights the forward pass reads, in the compute dtype. */
  weights: number;
  /** The gradients, in the compute dtype. */
  gradients: number;
  /** The fp32 master weights (0 unless the policy keeps them). */
  master: number;
  /** The optimizer's state, in the parameter dtype. */
  optimizerState: number;
  /** All of the above: what training needs (activations aside). */
  total: number;
  /** What inference needs: the weights. */
  inference: number;
}

/**
 * The memory of training and inference, activations aside, counted as the ZeRO paper counts
 * it: weights and gradients in the compute dtype, fp32 masters under `*-mixed`, and the
 * optimizer's state in the parameter dtype. Sizes are floatlab's storage (the codec's containers).
 *
 * @throws TypeError/RangeError naming an option of the wrong type, an unknown option, optimizer or precision, or a
 *   parameter count that is not a non-negative integer
 * @example
 * ```ts
 * estimateMemory({ parameters: 7e9, optimizer: 'adam', precision: '16-mixed' }).total;      // 112000000000 (16 bytes a parameter)
 * estimateMemory({ parameters: 7e9, optimizer: 'adam', precision: '16-mixed' }).inference;  // 14000000000
 * estimateMemory({ parameters: 1, optimizer: 'adam', precision: '32-true' }).total;         // 16
 * estimateMemory({ parameters: 1, optimizer: 'sgd', precision: 'bf16-true' }).total;        // 4
 * ```
 */
export function estimateMemory(opts: MemoryOptions): MemoryEstimate {
  const fn = 'estimateMemory';
  checkKnownKeys(fn, checkObject(fn, 'opts', opts), ['parameters', 'optimizer', 'precision'], 'option');
  const { parameters: count } = opts;
  if (typeof count !== 'number') throw new TypeError(`${fn}: opts.parameters must be a number, got ${describe(count)}`);
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`${fn}: opts.parameters must be a non-negative integer, got ${String(count)}`);
  const parameters = count + 0; // −0 parameters are 0 bytes, not −0
  const optimizer = opts.optimizer === undefined ? 'adam' : opts.optimizer;
  if (typeof optimizer !== 'string') throw new TypeError(`${fn}: opts.optimizer must be a string, got ${describe(optimizer)}`);
  if (!Object.hasOwn(OPTIMIZER_STATES, optimizer)) {
    throw new RangeError(
      `${fn}: unknown opts.optimizer ${JSON.stringify(optimizer)}; the optimizers are ${OPTIMIZER_NAMES.join(', ')}`,
    );
  }
  const policy = resolvePolicy(fn, opts.precision === undefined ? '32-true' : opts.precision, 'opts.precision');
  const compute = storageCodec(policy.compute).nbytes(parameters);
  const param = storageCodec(policy.param).nbytes(parameters);
  const weights = compute;
  const gradients = compute;
  const master = policy.masterWeights ? param : 0;
  const optimizerState = OPTIMIZER_STATES[optimizer] * param;
  return { weights, gradients, master, optimizerState, total: weights + gradients + master + optimizerState, inference: weights };
}
