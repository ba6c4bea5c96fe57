/**
 * The checkpoint inspector's place. Reading a checkpoint (safetensors, .npy) belongs to the
 * library's file API; this tab will drop a file onto it and list each tensor with checkRange
 * per format. Until that API is in the package, it says so.
 */
import type { TabProps } from '../main.js';

export function Checkpoint(_props: TabProps) {
  return (
    <div>
      <h2 style="font-size:1.05rem">Checkpoint inspector</h2>
      <p>
        Not in the page yet. It will read a dropped <code>.safetensors</code> or <code>.npy</code> file locally (nothing is
        uploaded), list its tensors, and say for each format which values would overflow, underflow or lose precision. The command{' '}
        <code>floatlab</code> does this today for files on disk.
      </p>
    </div>
  );
}
