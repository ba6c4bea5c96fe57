/**
 * What the layers above the tensor (optimizers, mixed precision, the demo) read of a tensor
 * that is not public API: its decoded values and the array type ops compute in. Not exported
 * from the barrel; the published types do not carry `Tensor.storage` (it is `@internal`).
 * @internal
 */
import type { ValueArray } from './storage-codec.js';
import type { Tensor } from './tensor.js';

/**
 * The tensor's values, exact, as its ops read them (a Float64Array where float32 cannot hold
 * them). Cached by the storage: callers must not modify it; copy with `.slice()` to keep it.
 */
export function valuesOf(t: Tensor): ValueArray {
  return t.storage.values();
}

/** The array type the tensor's ops compute in: Float32Array, or Float64Array for formats float32 cannot hold. */
export function valueTypeOf(t: Tensor): Float32ArrayConstructor | Float64ArrayConstructor {
  return t.storage.codec.Values;
}
