/** The checkpoint inspector: a `.safetensors` file read in the page (never uploaded), each float tensor checked against a format. */
import { useState } from 'preact/hooks';
import { format } from 'floatlab';
import type { TabProps } from '../main.js';
import { inspectCheckpoint, type TensorRow } from '../lib/checkpoint.js';
import { short } from '../lib/explore.js';

export function Checkpoint({ formats }: TabProps) {
  const [target, setTarget] = useState('float16');
  const [file, setFile] = useState<File | null>(null);
  const [rows, setRows] = useState<TensorRow[] | null>(null);
  const [status, setStatus] = useState('');
  const run = async (f: File | null, fmt: string) => {
    setFile(f);
    setTarget(fmt);
    setRows(null);
    if (!f) return;
    setStatus(`Reading ${f.name}…`);
    try {
      const got = await inspectCheckpoint(f, formats.find((F) => F.name === fmt) ?? format(fmt));
      setRows(got);
      const over = got.reduce((n, r) => n + (r.report?.overflow ?? 0), 0);
      setStatus(`${f.name}: ${got.length} tensors; ${over} values would overflow ${fmt}.`);
    } catch (err) {
      setStatus(`${f.name}: ${(err as Error).message}`);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const f = e.dataTransfer?.files[0];
    if (f) void run(f, target);
  };
  return (
    <div>
      <p>
        Drop a <code>.safetensors</code> file here or pick one: it is read in this page, nothing is uploaded. Each float tensor is
        decoded and checked against the format you pick, as <code>floatlab scan</code> does on the command line.
      </p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a shortcut; the file picker inside does the same by keyboard */}
      <div class="custom" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        <div class="controls">
          <label>
            Checkpoint file
            <input
              id="ckpt-file"
              type="file"
              accept=".safetensors"
              onChange={(e) => void run(e.currentTarget.files?.[0] ?? null, target)}
            />
          </label>
          <label>
            Check against
            <select id="ckpt-format" value={target} onChange={(e) => void run(file, e.currentTarget.value)}>
              {formats.map((f) => (
                <option key={f.name} value={f.name}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <p class="status" aria-live="polite" id="ckpt-status">
        {status}
      </p>
      {rows && (
        <div class="scroll">
          <table id="ckpt-table">
            <thead>
              <tr>
                {[
                  'tensor',
                  'dtype',
                  'shape',
                  'count',
                  'max |x|',
                  'overflow',
                  'underflow',
                  'subnormal',
                  'inexact',
                  'NaN',
                  'inf',
                ].map((h) => (
                  <th scope="col" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.name} data-tensor={r.name}>
                  <th scope="row">{r.name}</th>
                  <td>{r.dtype}</td>
                  <td class="num">[{r.shape.join(', ')}]</td>
                  <td class="num">{r.count}</td>
                  {r.report ? (
                    <>
                      <td class="num">{short(r.report.maxAbs)}</td>
                      <td class="num" data-role="overflow">
                        {r.report.overflow}
                      </td>
                      <td class="num" data-role="underflow">
                        {r.report.underflow}
                      </td>
                      <td class="num">{r.report.subnormal}</td>
                      <td class="num">{r.report.inexact}</td>
                      <td class="num">{r.report.nan}</td>
                      <td class="num">{r.report.infinite}</td>
                    </>
                  ) : (
                    <td colSpan={7}>not floating point: nothing to round</td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
