/** The number line: a format's representable magnitudes on a zoomable log axis, the input marked, each mode's rounding interval shaded. */
import { ROUNDING_MODES } from 'floatlab';
import { useRef } from 'preact/hooks';
import { inputValue, readInput, short } from '../lib/explore.js';
import { type RoundingInterval, roundingInterval, valuesInView } from '../lib/numberline.js';
import type { TabProps } from '../main.js';
import { FormatSelect } from './FormatSelect.js';

const WIDTH = 900;
const LEFT = 130;
const RIGHT = 20;
const AXIS_Y = 50;
const ROW = 20;
/** The modes with one result per input (stochastic rounds to either neighbour). */
const MODES = ROUNDING_MODES.filter((m) => m !== 'stochastic');
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
/** log2 of the smallest and largest positive doubles: the view never leaves them. */
const LIMITS = [-1074, 1024] as const;

/** The view [lo, hi] zoomed by `factor` around `at` (log2), kept inside the doubles. */
export function zoomView(lo: number, hi: number, factor: number, at = (lo + hi) / 2): { lo: number; hi: number } {
  const span = Math.min(Math.max((hi - lo) * factor, 2 ** -20), LIMITS[1] - LIMITS[0]);
  const t = (at - lo) / (hi - lo);
  let nlo = at - t * span;
  nlo = Math.min(Math.max(nlo, LIMITS[0]), LIMITS[1] - span);
  return { lo: nlo, hi: nlo + span };
}

export function NumberLine({ state, update, formats }: TabProps) {
  const svg = useRef<SVGSVGElement>(null);
  const F = formats.find((f) => f.name === state.line) ?? formats[0]!;
  const as = state.as === 'value' ? null : (formats.find((f) => f.name === state.as) ?? null);
  const parsed = readInput(state.x, as);
  const x = parsed.ok ? inputValue(parsed.input, as) : NaN;
  const { lo, hi } = state;
  const px = (log2: number) => LEFT + ((log2 - lo) / (hi - lo)) * (WIDTH - LEFT - RIGHT);
  const clampPx = (v: number) => Math.min(Math.max(px(v), LEFT), WIDTH - RIGHT);
  const { values, tooMany } = valuesInView(F, lo, hi);
  const intervals = Number.isFinite(x) && x !== 0 ? MODES.map((m) => roundingInterval(F, x, m)) : [];
  const height = AXIS_Y + 30 + MODES.length * ROW + 10;
  const zoom = (factor: number, at?: number) => update(zoomView(lo, hi, factor, at));
  const pan = (fraction: number) => update(zoomView(lo + fraction * (hi - lo), hi + fraction * (hi - lo), 1));
  const centre = () => Number.isFinite(Math.log2(Math.abs(x))) && update(zoomView(lo, hi, 1, Math.log2(Math.abs(x))));
  const reset = () => update(zoomView(Math.log2(F.smallestSubnormal) - 1, Math.log2(F.max) + 1, 1));
  // Powers of two labelled: about eight of them across the view.
  const stepLog = Math.max(1, 2 ** Math.ceil(Math.log2((hi - lo) / 8)));
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / stepLog) * stepLog; k <= hi; k += stepLog) ticks.push(k);
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const box = svg.current!.getBoundingClientRect();
    const xPx = ((e.clientX - box.left) / box.width) * WIDTH;
    const at = lo + ((xPx - LEFT) / (WIDTH - LEFT - RIGHT)) * (hi - lo);
    zoom(e.deltaY > 0 ? 1.25 : 0.8, Math.min(Math.max(at, lo), hi));
  };
  // Keys anywhere in the tab but a text field: + and − zoom, arrows pan, c centres, 0 shows the whole format.
  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).closest('input, select, textarea')) return;
    const actions: Record<string, () => void> = {
      '+': () => zoom(0.5),
      '=': () => zoom(0.5),
      '-': () => zoom(2),
      ArrowLeft: () => pan(-0.1),
      ArrowRight: () => pan(0.1),
      c: centre,
      '0': reset,
    };
    const act = actions[e.key];
    if (act) {
      e.preventDefault();
      act();
    }
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the keys act on the tab's own buttons' behalf; every action has a button
    <div onKeyDown={onKey}>
      <p class="status">Keys: + and − zoom, ← → pan, c centres on the value, 0 shows the whole format; the wheel zooms too.</p>
      <div class="controls">
        <FormatSelect
          id="line-format"
          label="Format"
          formats={formats}
          value={F.name}
          onChange={(name) => update({ line: name })}
        />
        <label>
          Value (shared with the explorer)
          <input class="mono" id="line-x" value={state.x} onInput={(e) => update({ x: e.currentTarget.value })} />
        </label>
        <fieldset class="zoom">
          <legend class="visually-hidden">Zoom and pan</legend>
          <button type="button" onClick={() => zoom(0.5)}>
            Zoom in
          </button>
          <button type="button" onClick={() => zoom(2)}>
            Zoom out
          </button>
          <button type="button" onClick={() => pan(-0.25)} aria-label="Pan left">
            ←
          </button>
          <button type="button" onClick={() => pan(0.25)} aria-label="Pan right">
            →
          </button>
          <button type="button" onClick={centre}>
            Centre on value
          </button>
          <button type="button" onClick={reset}>
            Whole format
          </button>
        </fieldset>
      </div>
      <p class="status" aria-live="polite" id="line-status">
        {tooMany
          ? `More than ${values.length} ${F.name} values between 2^${short(lo)} and 2^${short(hi)}: zoom in to see each one.`
          : `${values.length} positive ${F.name} values between 2^${short(lo)} and 2^${short(hi)}.`}{' '}
        {parsed.ok ? `|x| = ${short(Math.abs(x))}.` : parsed.error}
      </p>
      <svg
        ref={svg}
        class="numberline"
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={`Log axis of ${F.name} magnitudes from 2^${short(lo)} to 2^${short(hi)}`}
        onWheel={onWheel}
      >
        <line x1={LEFT} x2={WIDTH - RIGHT} y1={AXIS_Y} y2={AXIS_Y} stroke="#333" />
        {ticks.map((k) => (
          <g key={k}>
            <line x1={px(k)} x2={px(k)} y1={AXIS_Y} y2={AXIS_Y + 6} stroke="#333" />
            <text x={px(k)} y={AXIS_Y + 18} font-size="11" text-anchor="middle">
              2^{short(k)}
            </text>
          </g>
        ))}
        {tooMany && <rect x={LEFT} y={AXIS_Y - 22} width={WIDTH - LEFT - RIGHT} height={22} fill="#1f77b4" opacity="0.15" />}
        {!tooMany &&
          values.map((v) => (
            <line key={v} class="rep" x1={px(Math.log2(v))} x2={px(Math.log2(v))} y1={AXIS_Y - 22} y2={AXIS_Y} stroke="#1f77b4" />
          ))}
        <text x={4} y={AXIS_Y - 8} font-size="12">
          {F.name}
        </text>
        {intervals.map((iv, row) => (
          <IntervalRow
            key={MODES[row]}
            iv={iv}
            mode={MODES[row]!}
            y={AXIS_Y + 30 + row * ROW}
            px={clampPx}
            colour={COLOURS[row]!}
          />
        ))}
        {Number.isFinite(x) && x !== 0 && Math.log2(Math.abs(x)) >= lo && Math.log2(Math.abs(x)) <= hi && (
          <g>
            <line
              x1={px(Math.log2(Math.abs(x)))}
              x2={px(Math.log2(Math.abs(x)))}
              y1={AXIS_Y - 34}
              y2={height - 4}
              stroke="#000"
              stroke-dasharray="4 3"
            />
            <text x={px(Math.log2(Math.abs(x)))} y={AXIS_Y - 38} font-size="12" text-anchor="middle">
              |x|
            </text>
          </g>
        )}
      </svg>
      <p class="status">
        Magnitudes only: a negative value is drawn at |x|, with its intervals mirrored. Each band is the set of reals the mode
        rounds to the same stored value as x; stochastic rounding picks either neighbour and has no such band.
      </p>
    </div>
  );
}

function IntervalRow({
  iv,
  mode,
  y,
  px,
  colour,
}: {
  iv: RoundingInterval | null;
  mode: string;
  y: number;
  px: (log2: number) => number;
  colour: string;
}) {
  if (!iv) {
    return (
      <text x={4} y={y + 13} font-size="12">
        {mode}: no finite nonzero result
      </text>
    );
  }
  const ends = [Math.abs(iv.lo), Math.abs(iv.hi)].map((v) => (v === 0 ? -Infinity : Math.log2(v)));
  const a = px(Math.min(ends[0]!, ends[1]!));
  const b = px(Math.max(ends[0]!, ends[1]!));
  return (
    <g data-mode={mode}>
      <text x={4} y={y + 13} font-size="12">
        {mode}
      </text>
      <rect x={a} y={y} width={Math.max(b - a, 1)} height={ROW - 4} fill={colour} opacity="0.35">
        <title>
          {mode}: [{short(iv.lo)}, {short(iv.hi)}] → {short(iv.value)}
        </title>
      </rect>
      <circle cx={px(Math.log2(Math.abs(iv.value)))} cy={y + (ROW - 4) / 2} r={3.5} fill={colour} />
    </g>
  );
}
