/** Memory the boundary checks must refuse or handle. */

/** Detaches a view's buffer (as transferring it to a worker does) and returns the view. */
export function detached<T extends { buffer: ArrayBufferLike }>(view: T): T {
  structuredClone(view.buffer, { transfer: [view.buffer as ArrayBuffer] });
  return view;
}
