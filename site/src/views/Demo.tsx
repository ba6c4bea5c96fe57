/**
 * The training demo, run in a worker: every row of `npm start`, the loss curves drawn as they
 * train, then the chart and the report (the PTQ table included) `npm start` prints.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type DemoMessage, type DemoRequest, type DemoResult, formatReport, lossChartSvg } from '../lib/demo.js';
import { appendLosses, curveColour, curvePoints, type LiveCurve } from '../lib/demo-live.js';
import type { TabProps } from '../main.js';

type Status = 'idle' | 'running' | 'done' | 'stopped' | 'error';

export function Demo({ state, update }: TabProps) {
  const [status, setStatus] = useState<Status>('idle');
  const [message, setMessage] = useState('');
  const [result, setResult] = useState<DemoResult | null>(null);
  const [curves, setCurves] = useState<LiveCurve[]>([]);
  const [progress, setProgress] = useState<{ precision: string; step: number } | null>(null);
  const worker = useRef<Worker | null>(null);
  useEffect(() => () => worker.current?.terminate(), []);
  const stop = () => {
    worker.current?.terminate();
    worker.current = null;
    setStatus('stopped');
  };
  const run = () => {
    worker.current?.terminate();
    const w = new Worker(new URL('../demo.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    setResult(null);
    setCurves([]);
    setProgress(null);
    setStatus('running');
    setMessage('');
    w.onmessage = (e: MessageEvent<DemoMessage>) => {
      const m = e.data;
      if (m.type === 'step') {
        setProgress({ precision: m.precision, step: m.step });
        setCurves((c) => appendLosses(c, m.precision, m.losses));
      } else if (m.type === 'result') {
        setResult(m.result);
        setStatus('done');
        w.terminate();
      } else {
        setStatus('error');
        setMessage(m.message);
      }
    };
    w.onerror = (e) => {
      setStatus('error');
      setMessage(e.message);
    };
    const request: DemoRequest = { seed: state.seed, steps: state.steps };
    w.postMessage(request);
  };
  const done = result?.runs.length ?? Math.max(0, curves.length - 1);
  return (
    <div>
      <p>
        A small MLP trained on a synthetic task under every row of <code>npm start</code> (fp32; fp16 and bf16 mixed precision;
        pure fp16 and bf16; bf16 with stochastic rounding; FP8 with and without scaling), then quantized after training, every
        operation emulated bit for bit in a background worker. The same seed and steps give the numbers <code>npm start</code>{' '}
        prints (the time column is this browser's).
      </p>
      <div class="controls">
        <label>
          Seed
          <input
            type="number"
            id="demo-seed"
            min={0}
            value={state.seed}
            onInput={(e) => update({ seed: Number(e.currentTarget.value) })}
          />
        </label>
        <label>
          Steps
          <input
            type="number"
            id="demo-steps"
            min={1}
            value={state.steps}
            onInput={(e) => update({ steps: Number(e.currentTarget.value) })}
          />
        </label>
        <button type="button" id="demo-run" onClick={run} disabled={status === 'running'}>
          Run
        </button>
        <button type="button" onClick={stop} disabled={status !== 'running'}>
          Stop
        </button>
      </div>
      <div aria-live="polite" id="demo-status" data-status={status} class="status">
        {status === 'running' && progress
          ? `Training ${progress.precision}: step ${progress.step} of ${state.steps} (${done} rows done)`
          : status === 'running'
            ? 'Starting…'
            : status === 'done'
              ? `Done: ${done} rows.`
              : status === 'stopped'
                ? 'Stopped.'
                : status === 'error'
                  ? `Error: ${message}`
                  : ''}
      </div>
      {status === 'running' && (
        <div class="progress-row">
          <label for="demo-progress">Progress of {progress?.precision ?? 'the first row'}</label>
          <progress id="demo-progress" max={state.steps} value={progress?.step ?? 0} />
        </div>
      )}
      {!result && curves.length > 0 && <LiveChart curves={curves} steps={state.steps} />}
      {result && result.runs.length > 0 && (
        <>
          {/* lossChartSvg builds the SVG from numbers only; the text it holds is escaped. */}
          <div
            class="scroll"
            role="img"
            aria-label="Training loss per step for each precision"
            dangerouslySetInnerHTML={{ __html: lossChartSvg(result) }}
          />
          <pre class="report" id="demo-report">
            {formatReport(result)}
          </pre>
        </>
      )}
    </div>
  );
}

/** The loss curves so far, redrawn as the worker posts them (every 10 steps). */
function LiveChart({ curves, steps }: { curves: readonly LiveCurve[]; steps: number }) {
  const [W, H] = [600, 240];
  const points = curvePoints(curves, steps, W, H);
  return (
    <figure>
      <svg id="demo-live" viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="Training loss so far, per row">
        <rect width={W} height={H} fill="none" stroke="#333" />
        {points.map((p, i) => (
          <polyline
            key={curves[i]!.precision}
            data-precision={curves[i]!.precision}
            points={p}
            fill="none"
            stroke={curveColour(i)}
            stroke-width="2"
          />
        ))}
      </svg>
      <figcaption>
        {curves.map((c, i) => (
          <span key={c.precision} style={`color:${curveColour(i)};margin-right:1em`}>
            {c.precision} ({c.losses.length} steps)
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
