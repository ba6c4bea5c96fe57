/**
 * The training building blocks — the Tensor, its optimizers, automatic mixed precision
 * (GradScaler, MasterWeights, precision policies, the memory estimate) — as `floatlab/train` and
 * the root entry export them.
 */

export { GradScaler, type GradScalerOptions, type GradScalerState } from '../amp/grad-scaler.js';
export { MasterWeights, type MasterWeightsOptions } from '../amp/master.js';
export { estimateMemory, type MemoryEstimate, type MemoryOptions, OPTIMIZER_NAMES, type OptimizerName } from '../amp/memory.js';
export { PRECISIONS, type PrecisionLike, type PrecisionName, type PrecisionPolicy, precisionPolicy } from '../amp/policy.js';
export { Adam, type AdamOptions, AdamW } from '../optim/adam.js';
export {
  type Gradient,
  Optimizer,
  type OptimizerOptions,
  type OptimizerStateDict,
  type Round,
  type Stepper,
  type UpdateContext,
} from '../optim/optimizer.js';
export { SGD, type SGDOptions } from '../optim/sgd.js';
export type { Dtype, DtypeLike } from '../tensor/dtype.js';
export { promoteTypes } from '../tensor/promote.js';
export type { ValueArray } from '../tensor/storage-codec.js';
export {
  type Accumulate,
  type CrossEntropyOptions,
  type MatmulOptions,
  type OpOptions,
  type RandnOptions,
  Tensor,
  type TensorOptions,
  type TensorValues,
} from '../tensor/tensor.js';
