/** The training demo, run in a worker: progress per precision, the loss curves as runs finish, and the report `npm start` prints. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TabProps } from '../main.js';
import { type DemoMessage, type DemoRequest, type DemoResult, formatReport, lossChartSvg } from '../lib/demo.js';

type Status = 'idle' | 'running' | 'done' | 'stopped' | 'error';

export function Demo({ state, update }: TabProps) {
  const [status, setStatus] = useState<Status>('idle');
  const [message, setMessage] = useState('');
  const [result, setResult] = useState<DemoResult | null>(null);
  const [progress, setProgress] = useState<{ precision: string; step: number } | null>(null);
  const [precisions, setPrecisions] = useState<string[]>([]);
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
    setStatus('running');
    setMessage('');
    w.onmessage = (e: MessageEvent<DemoMessage>) => {
      const m = e.data;
      if (m.type === 'start') setPrecisions(m.precisions);
      else if (m.type === 'step') setProgress({ precision: m.precision, step: m.step });
      else if (m.type === 'run') setResult((r) => ({ config: m.config, runs: [...(r?.runs ?? []), m.run], ptq: null }));
      else if (m.type === 'done') {
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
  const done = result?.runs.length ?? 0;
  return (
    <div>
      <p>
        A small MLP trained on a synthetic task under the precision policies of <code>npm start</code> (fp32; fp16 and bf16 mixed
        precision; pure fp16 and bf16), every operation emulated bit for bit in a background worker. The same seed and steps give
        the numbers <code>npm start</code> prints (the time column is this browser's).
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
          ? `Training ${progress.precision}: step ${progress.step} of ${state.steps} (${done} of ${precisions.length} policies done)`
          : status === 'running'
            ? 'Starting…'
            : status === 'done'
              ? `Done: ${done} policies.`
              : status === 'stopped'
                ? 'Stopped.'
                : status === 'error'
                  ? `Error: ${message}`
                  : ''}
      </div>
      {status === 'running' && (
        <div class="progress-row">
          <label for="demo-progress">Progress</label>
          <progress
            id="demo-progress"
            max={precisions.length * state.steps}
            value={done * state.steps + (progress && done < precisions.length ? progress.step : 0)}
          />
        </div>
      )}
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
