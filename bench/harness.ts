/**
 * The benchmark harness: every suite measures in this one process, so the ratios
 * between an implementation and its baselines hold for the machine at hand.
 */

/** One line of the report. */
export interface BenchLine {
  /** Suite that measured it, e.g. 'codec' or 'mx'. */
  suite: string;
  /** What was measured, e.g. 'encodeArray float32 → bfloat16 (tiesToEven)'. */
  name: string;
  /** Million elements per second (median of the rounds). */
  mElemPerSec: number;
  /** Name of the baseline line this one is compared against, if any. */
  baseline?: string;
  /** mElemPerSec / the baseline's mElemPerSec. */
  ratio?: number;
  /** The target ratio, if any. */
  target?: number;
  /** Whether ratio >= target. */
  met?: boolean;
  /** Anything else worth printing (memory figures, say). */
  note?: string;
}

/** A suite: a named set of measurements. */
export interface Suite {
  name: string;
  run(ctx: BenchContext): BenchLine[] | Promise<BenchLine[]>;
}

export interface BenchContext {
  /** Elements per measured call. */
  size: number;
  /** Seconds to spend per measurement, at least. */
  seconds: number;
}

/** Results are written here so the engine cannot drop the work that made them. */
export let sink: unknown;
export function consume(value: unknown): void {
  sink = value;
}

/**
 * Million elements per second of `fn`, which processes `elements` elements per call:
 * warm up, then the median of several timed rounds of repeated calls.
 */
export function measure(fn: () => unknown, elements: number, seconds: number): number {
  for (let i = 0; i < 3; i++) consume(fn());
  const rates: number[] = [];
  const rounds = 5;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    do {
      consume(fn());
      calls++;
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    } while (elapsed < seconds / rounds);
    rates.push((calls * elements) / elapsed / 1e6);
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rounds / 2)]!;
}

/** Adds ratio/met to `line` against `base`. */
export function compare(line: BenchLine, base: BenchLine, target?: number): BenchLine {
  const ratio = line.mElemPerSec / base.mElemPerSec;
  return { ...line, baseline: base.name, ratio, ...(target === undefined ? {} : { target, met: ratio >= target }) };
}

/** Mixed-magnitude values x = (u − 0.5)·exp(30·(v − 0.5)), the benchmark's input. */
export function mixedMagnitudes(n: number, seed = 1): Float32Array {
  return fillMixedMagnitudes(new Float32Array(n), seed);
}

/** Fills `out` with {@link mixedMagnitudes} in place (no temporary memory). */
export function fillMixedMagnitudes(out: Float32Array, seed = 1): Float32Array {
  const n = out.length;
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < n; i++) out[i] = (next() - 0.5) * Math.exp(30 * (next() - 0.5));
  return out;
}

/**
 * Measures several functions in alternation: each round runs every function for its share of
 * the time, so a change in the machine's load during the run hits them all alike. Returns, per
 * function, million elements per second in each round. Compare two functions by the median of
 * their per-round ratios ({@link ratioOf}), which cancels most of that drift.
 */
export function measureRounds(fns: { fn: () => unknown; elements: number }[], seconds: number, rounds = 7): number[][] {
  for (const { fn } of fns) consume(fn());
  const rates = fns.map(() => [] as number[]);
  const slice = seconds / rounds;
  for (let r = 0; r < rounds; r++) {
    fns.forEach(({ fn, elements }, k) => {
      let calls = 0;
      let elapsed = 0;
      const start = process.hrtime.bigint();
      do {
        consume(fn());
        calls++;
        elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      } while (elapsed < slice);
      rates[k]!.push((calls * elements) / elapsed / 1e6);
    });
  }
  return rates;
}

/** The median of some numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The median over rounds of rates[r] / baseline[r]: a ratio measured in one process, round by round. */
export function ratioOf(rates: readonly number[], baseline: readonly number[]): number {
  return median(rates.map((x, r) => x / baseline[r]!));
}
