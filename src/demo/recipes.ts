/**
 * The demo's training recipes, one per row of its table: a precision policy, and on top of it
 * what the policy alone does not say — stochastic rounding of the weight update, or FP8 GEMMs
 * with a TE recipe's per-tensor scales. Every row is derived from a policy or a recipe; the
 * names are parsed, never matched one by one.
 */
import { PRECISIONS, type PrecisionLike, type PrecisionPolicy, resolvePolicy } from '../amp/policy.js';
import { fitsIn, format } from '../formats.js';
import { DelayedScaling, FP8_RECIPE_FORMATS, type Fp8RecipeFormat } from '../scaled/recipe.js';

const FLOAT32 = format('float32');

/** FP8 GEMMs: which elements each pass uses (TE's `Format`) and whether tensors are scaled. */
export interface Fp8Gemms {
  /** E4M3 forward and E5M2 backward (`'hybrid'`), or one element for both. */
  readonly fp8Format: Fp8RecipeFormat;
  /** `'delayed'`: TE's DelayedScaling, one float32 scale per tensor; `'none'`: every scale is 1. */
  readonly scaling: 'delayed' | 'none';
}

/** What one row of the demo trains with. */
export interface DemoRecipe {
  /** The row's name: a precision flag, `'<flag>+sr'`, `'fp8-<format>'` or `'fp8-noscale'`. */
  readonly name: string;
  /** The dtypes, master weights and loss scaling of everything outside FP8 GEMMs. */
  readonly policy: PrecisionPolicy;
  /** The optimizer rounds each new weight stochastically into its dtype (seeded from the demo's seed). */
  readonly stochasticRounding: boolean;
  /** The matmuls' operands are cast to FP8 (with float32 parameters, state and loss), or null. */
  readonly fp8: Fp8Gemms | null;
}

/** The policy of everything around FP8 GEMMs: float32 parameters (the masters of each step's FP8 casts), state and loss. */
const FP8_HOST = '32-true';
const SR_SUFFIX = '+sr';
const NOSCALE = 'noscale';

/**
 * The policies the demo compares first: Lightning's flags whose compute dtype is at most
 * float32 (64-true would only repeat 32-true, slower).
 */
export const DEMO_PRECISIONS: readonly PrecisionLike[] = Object.freeze(
  PRECISIONS.filter((p) => fitsIn(resolvePolicy('DEMO_PRECISIONS', p).compute, FLOAT32)),
);

/**
 * Whether a policy's only defect is lost updates: weights kept without masters in a dtype
 * narrower than float32 but with its exponent range (bf16-true). Stochastic rounding remedies
 * exactly that; a narrower range (16-true) breaks Adam's arithmetic first.
 */
function losesUpdatesOnly(policy: PrecisionPolicy): boolean {
  return !policy.masterWeights && policy.param.bits < FLOAT32.bits && policy.param.emin <= FLOAT32.emin;
}

/**
 * Every row of the demo, in the order it prints them: {@link DEMO_PRECISIONS}, each of them
 * whose only defect is lost updates with stochastic rounding, then FP8 training with TE's
 * default DelayedScaling format and the same casts unscaled.
 */
export const DEMO_ROWS: readonly PrecisionLike[] = Object.freeze([
  ...DEMO_PRECISIONS,
  ...DEMO_PRECISIONS.filter((p) => losesUpdatesOnly(resolvePolicy('DEMO_ROWS', p))).map((p) => `${String(p)}${SR_SUFFIX}`),
  `fp8-${new DelayedScaling().fp8Format}`,
  `fp8-${NOSCALE}`,
]);

/** The recipe of a row name (or of any precision flag or policy). @internal */
export function resolveRecipe(fn: string, row: unknown, param = 'row'): DemoRecipe {
  if (typeof row === 'string' && row.endsWith(SR_SUFFIX)) {
    const policy = resolvePolicy(fn, row.slice(0, -SR_SUFFIX.length), param);
    return Object.freeze({ name: row, policy, stochasticRounding: true, fp8: null });
  }
  const fp8 = typeof row === 'string' ? /^fp8-(.+)$/.exec(row)?.[1] : undefined;
  if (fp8 !== undefined) {
    const scaled = (FP8_RECIPE_FORMATS as readonly string[]).includes(fp8);
    if (!scaled && fp8 !== NOSCALE) {
      throw new RangeError(
        `${fn}: unknown ${param} ${JSON.stringify(row)}; FP8 rows are ${FP8_RECIPE_FORMATS.map((f) => `'fp8-${f}'`).join(', ')} and 'fp8-${NOSCALE}'`,
      );
    }
    const gemms: Fp8Gemms = Object.freeze({
      fp8Format: scaled ? (fp8 as Fp8RecipeFormat) : new DelayedScaling().fp8Format,
      scaling: scaled ? 'delayed' : 'none',
    });
    return Object.freeze({ name: row as string, policy: resolvePolicy(fn, FP8_HOST), stochasticRounding: false, fp8: gemms });
  }
  const policy = resolvePolicy(fn, row, param);
  return Object.freeze({ name: policy.name, policy, stochasticRounding: false, fp8: null });
}

/**
 * The recipe of one of the demo's rows.
 *
 * @throws RangeError for an unknown row name (e.g. `demoRecipe('fp8-noscale').fp8` is
 *   `{ fp8Format: 'hybrid', scaling: 'none' }`)
 */
export function demoRecipe(row: string): DemoRecipe {
  return resolveRecipe('demoRecipe', row);
}
