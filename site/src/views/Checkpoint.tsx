/**
 * The checkpoint inspector: `.safetensors`, `.npy` and `.npz` files (a sharded model's shards
 * together) read in the page by a worker, never uploaded; each float tensor checked against a format.
 */

import type { Format } from 'floatlab';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  type ExponentHistogram,
  formatExponents,
  type InspectMessage,
  type InspectRequest,
  type Progress,
  type TensorRow,
  totals,
} from '../lib/checkpoint.js';
import { customFormat } from '../lib/custom.js';
import { short } from '../lib/explore.js';
import type { TabProps } from '../main.js';
import { FormatSelect } from './FormatSelect.js';

const COLUMNS = [
  'file',
  'tensor',
  'dtype',
  'shape',
  'count',
  'max |x|',
  'overflow',
  'underflow',
  'subnormal',
  'NaN',
  'inf',
  'bytes',
  'bytes after',
];

/** Bytes as people read them. */
function size(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let u = 0;
  while (bytes >= 1000 && u < units.length - 1) (bytes /= 1000), u++;
  return `${u === 0 ? bytes : bytes.toPrecision(3)} ${units[u]}`;
}

export function Checkpoint({ state, formats }: TabProps) {
  const [target, setTarget] = useState('float16');
  const [files, setFiles] = useState<File[]>([]);
  const [rows, setRows] = useState<TensorRow[] | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [status, setStatus] = useState('');
  const worker = useRef<Worker | null>(null);
  useEffect(() => () => worker.current?.terminate(), []);
  const F = formats.find((f) => f.name === target) ?? formats[0]!;
  const run = (fs: File[], fmt: string) => {
    setFiles(fs);
    setTarget(fmt);
    setRows(null);
    worker.current?.terminate();
    worker.current = null;
    if (fs.length === 0) return;
    const names = fs.map((f) => f.name).join(', ');
    setStatus(`Reading ${names}…`);
    setProgress({ done: 0, total: 1, file: fs[0]!.name });
    const spec = state.custom.find((s) => {
      const made = customFormat(s);
      return made.ok && made.format.name === fmt;
    });
    const w = new Worker(new URL('../checkpoint.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (e: MessageEvent<InspectMessage>) => {
      const m = e.data;
      if (m.type === 'progress') setProgress(m);
      else {
        setProgress(null);
        w.terminate();
        worker.current = null;
        if (m.type === 'error') setStatus(m.message);
        else {
          setRows(m.rows);
          const t = totals(m.rows);
          setStatus(
            `${fs.length} file(s), ${t.tensors} tensors; ${t.overflow} values would overflow ${fmt}, ${t.underflow} underflow to 0.`,
          );
        }
      }
    };
    const request: InspectRequest = { files: fs, target: spec === undefined ? { name: fmt } : { spec } };
    w.postMessage(request);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const fs = Array.from(e.dataTransfer?.files ?? []);
    if (fs.length > 0) run(fs, target);
  };
  const sum = rows && totals(rows);
  return (
    <div>
      <p>
        Drop <code>.safetensors</code>, <code>.npy</code> or <code>.npz</code> files here (all shards of a model at once) or pick
        them: they are read in this page, nothing is uploaded. Each float tensor is decoded and checked against the format you
        pick, as <code>floatlab scan</code> does on the command line.
      </p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a shortcut; the file picker inside does the same by keyboard */}
      <div class="custom" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        <div class="controls">
          <label>
            Checkpoint files
            <input
              id="ckpt-file"
              type="file"
              multiple
              accept=".safetensors,.npy,.npz"
              onChange={(e) => run(Array.from(e.currentTarget.files ?? []), target)}
            />
          </label>
          <FormatSelect
            id="ckpt-format"
            label="Check against"
            formats={formats}
            value={target}
            onChange={(name) => run(files, name)}
          />
        </div>
      </div>
      {progress && (
        <label>
          Read {size(progress.done)} of {size(progress.total)}
          <progress id="ckpt-progress" max={progress.total} value={progress.done} />
        </label>
      )}
      <p class="status" aria-live="polite" id="ckpt-status">
        {status}
      </p>
      {rows && sum && (
        <>
          <p id="ckpt-size">
            Tensor data: {size(sum.bytes)} now, about {size(sum.bytesAfter)} in {target} (integer and bool tensors kept).
          </p>
          <ExponentChart h={sum.histogram} F={F} />
          <div class="scroll">
            <table id="ckpt-table">
              <thead>
                <tr>
                  {COLUMNS.map((h) => (
                    <th scope="col" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.file}/${r.name}`} data-tensor={r.name} data-file={r.file}>
                    <td>{r.file}</td>
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
                        <td class="num" data-role="subnormal">
                          {r.report.subnormal}
                        </td>
                        <td class="num" data-role="nan">
                          {r.report.nan}
                        </td>
                        <td class="num">{r.report.infinite}</td>
                      </>
                    ) : (
                      <td colSpan={6}>not floating point: nothing to round</td>
                    )}
                    <td class="num">{r.bytes}</td>
                    <td class="num">{r.bytesAfter}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr id="ckpt-total">
                  <td />
                  <th scope="row">total</th>
                  <td />
                  <td />
                  <td class="num">{sum.count}</td>
                  <td />
                  <td class="num" data-role="overflow">
                    {sum.overflow}
                  </td>
                  <td class="num" data-role="underflow">
                    {sum.underflow}
                  </td>
                  <td class="num" data-role="subnormal">
                    {sum.subnormal}
                  </td>
                  <td class="num" data-role="nan">
                    {sum.nan}
                  </td>
                  <td class="num">{sum.infinite}</td>
                  <td class="num">{sum.bytes}</td>
                  <td class="num" data-role="bytes-after">
                    {sum.bytesAfter}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

/** Bars of the values' binary exponents, with the target's subnormal, normal and largest exponents marked. */
function ExponentChart({ h, F }: { h: ExponentHistogram; F: Format }) {
  const bounds = formatExponents(F);
  const exps = [...h.counts.keys()];
  if (exps.length === 0) return null;
  const lo = Math.min(...exps, bounds.subnormal) - 1;
  const hi = Math.max(...exps, bounds.max) + 1;
  const peak = Math.max(...h.counts.values());
  const W = 640;
  const H = 160;
  const bar = W / (hi - lo + 1);
  const x = (e: number) => (e - lo) * bar;
  const marks = [
    { e: bounds.subnormal, label: 'smallest subnormal' },
    { e: bounds.normal, label: 'smallest normal' },
    { e: bounds.max + 1, label: 'overflow' },
  ];
  return (
    <figure>
      <svg
        id="ckpt-histogram"
        viewBox={`0 0 ${W} ${H + 20}`}
        width="100%"
        role="img"
        aria-label={`Binary exponents of the values from 2^${Math.min(...exps)} to 2^${Math.max(...exps)}; ${F.name} holds 2^${bounds.subnormal} to below 2^${bounds.max + 1}`}
      >
        {[...h.counts].map(([e, n]) => {
          const height = Math.max(1, (Math.log1p(n) / Math.log1p(peak)) * H);
          const outside = e < bounds.subnormal || e > bounds.max;
          return (
            <rect
              key={e}
              data-exponent={e}
              data-count={n}
              x={x(e)}
              y={H - height}
              width={bar * 0.9}
              height={height}
              fill={outside ? '#c62828' : '#1565c0'}
            >
              <title>
                2^{e}: {n} values
              </title>
            </rect>
          );
        })}
        {marks.map((m) => (
          <g key={m.label}>
            <line x1={x(m.e)} x2={x(m.e)} y1={0} y2={H} stroke="#333" stroke-dasharray="4 3" />
            <text x={x(m.e) + 2} y={H + 14} font-size="10">
              {m.label} (2^{m.e})
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        Values by binary exponent (bar heights on a log scale; red: outside {F.name}'s range), {h.zeros} zeros not drawn.
      </figcaption>
    </figure>
  );
}
