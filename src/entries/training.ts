/**
 * The training building blocks — the Tensor, its optimizers, automatic mixed precision
 * (GradScaler, MasterWeights, precision policies, the memory estimate) — as `floatlab/train` and
 * the root entry export them.
 */
export {
  type Accumulate,
  type OpOptions,
  type TensorOptions,
  type TensorValues,
  type RandnOptions,
  type MatmulOptions,
  type CrossEntropyOptions,
  Tensor,
} from '../tensor/tensor.js';
export type { Dtype, DtypeLike } from '../tensor/dtype.js';
export type { ValueArray } from '../tensor/storage-codec.js';
export { promoteTypes } from '../tensor/promote.js';
export { type PrecisionName, type PrecisionLike, type PrecisionPolicy, PRECISIONS, precisionPolicy } from '../amp/policy.js';
export { type MasterWeightsOptions, MasterWeights } from '../amp/master.js';
export { type GradScalerOptions, type GradScalerState, GradScaler } from '../amp/grad-scaler.js';
export { type OptimizerName, type MemoryOptions, type MemoryEstimate, OPTIMIZER_NAMES, estimateMemory } from '../amp/memory.js';
export {
  type Gradient,
  type Stepper,
  type OptimizerOptions,
  type OptimizerStateDict,
  type Round,
  type UpdateContext,
  Optimizer,
} from '../optim/optimizer.js';
export { type SGDOptions, SGD } from '../optim/sgd.js';
export { type AdamOptions, Adam, AdamW } from '../optim/adam.js';
