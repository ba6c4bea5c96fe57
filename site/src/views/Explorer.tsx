/** The format explorer: one input, one card per format, bits that flip, and the custom-format builder. */
import { exactDecimal, FORMAT_KINDS, type FormatKind, finfo } from 'floatlab';
import { useState } from 'preact/hooks';
import { bitsOf, flipBit, hexCode } from '../lib/bits.js';
import { customFormat, customName } from '../lib/custom.js';
import { type Cell, cellOf, full, inputValue, readInput, short } from '../lib/explore.js';
import type { TabProps } from '../main.js';

export function Explorer({ state, update, formats }: TabProps) {
  const as = state.as === 'value' ? null : (formats.find((f) => f.name === state.as) ?? null);
  const parsed = readInput(state.x, as);
  const cells = parsed.ok ? formats.map((F) => cellOf(F, parsed.input, as)) : [];
  const x = parsed.ok ? inputValue(parsed.input, as) : NaN;
  return (
    <div>
      <div class="controls">
        <label>
          Value or code
          <input
            class="mono"
            id="x"
            value={state.x}
            spellcheck={false}
            autocomplete="off"
            aria-describedby="x-status"
            onInput={(e) => update({ x: e.currentTarget.value })}
          />
        </label>
        <label>
          Read the input as
          <select id="as" value={as ? as.name : 'value'} onChange={(e) => update({ as: e.currentTarget.value })}>
            <option value="value">a value (0.1, inf, nan, 0x1.8p-3)</option>
            {formats.map((f) => (
              <option value={f.name} key={f.name}>
                a {f.name} code (0x…, 0b…)
              </option>
            ))}
          </select>
        </label>
      </div>
      <p id="x-status" class={parsed.ok ? 'status' : 'status error'} aria-live="polite">
        {parsed.ok
          ? `input = ${exactDecimal('float64', x)}${as ? ` (the ${as.name} code ${state.x.trim()})` : ' (as a float64)'}`
          : parsed.error}
      </p>
      <p class="legend" aria-hidden="true">
        <span class="sign">sign</span>
        <span class="exponent">exponent</span>
        <span class="mantissa">mantissa</span> Click a bit to flip it.
      </p>
      <div class="cards">
        {cells.map((cell) => (
          <FormatCard
            key={cell.format.name}
            cell={cell}
            custom={state.custom.includes(cell.format.name)}
            onCode={(code) => update({ as: cell.format.name, x: hexCode(cell.format.bits, code) })}
            onRemove={() => update({ custom: state.custom.filter((c) => c !== cell.format.name) })}
          />
        ))}
      </div>
      <CustomBuilder onAdd={(spec) => update({ custom: [...state.custom.filter((c) => c !== spec), spec] })} />
    </div>
  );
}

function FormatCard({
  cell,
  custom,
  onCode,
  onRemove,
}: {
  cell: Cell;
  custom: boolean;
  onCode: (code: bigint) => void;
  onRemove: () => void;
}) {
  const F = cell.format;
  const bits = bitsOf(F, cell.code);
  return (
    <article class="card" data-format={F.name} aria-label={F.name}>
      <h3>
        <span>{F.name}</span>
        <span class="mono" style="font-weight:normal">
          e{F.expBits}m{F.manBits} bias {F.bias} {F.kind}
        </span>
      </h3>
      <fieldset class={bits.length > 20 ? 'bits wide' : 'bits'}>
        <legend class="visually-hidden">{F.name} bits, most significant first</legend>
        {bits.map((b) => (
          <button
            type="button"
            key={b.index}
            class={`bit ${b.field}`}
            data-value={b.value}
            data-bit={b.index}
            aria-label={`bit ${b.index} (${b.field}) is ${b.value}; flip`}
            onClick={() => onCode(flipBit(cell.code, b.index))}
          >
            {b.value}
          </button>
        ))}
      </fieldset>
      <dl class="facts">
        <dt>code</dt>
        <dd data-role="code">{hexCode(F.bits, cell.code)}</dd>
        <dt>value</dt>
        <dd data-role="value">{cell.exact}</dd>
        <dt>error</dt>
        <dd>
          {short(cell.error)} (relative {short(cell.relError)})
        </dd>
        <dt>class</dt>
        <dd data-role="class">{cell.class}</dd>
        <dt>neighbours</dt>
        <dd>
          {full(cell.down)} ↓ ↑ {full(cell.up)}
        </dd>
      </dl>
      <details>
        <summary>Every rounding option</summary>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">option</th>
                <th scope="col">code</th>
                <th scope="col">value</th>
              </tr>
            </thead>
            <tbody>
              {cell.options.map((o) => (
                <tr key={o.label}>
                  <th scope="row">{o.label}</th>
                  <td class="num">{hexCode(F.bits, o.code)}</td>
                  <td class="num">{full(o.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      <details>
        <summary>finfo</summary>
        <pre data-role="finfo">{String(finfo(F))}</pre>
      </details>
      {custom && (
        <button type="button" onClick={onRemove}>
          Remove {F.name}
        </button>
      )}
    </article>
  );
}

function CustomBuilder({ onAdd }: { onAdd: (spec: string) => void }) {
  const [expBits, setExpBits] = useState(5);
  const [manBits, setManBits] = useState(7);
  const [bias, setBias] = useState('');
  const [kind, setKind] = useState<FormatKind>('ieee');
  const [error, setError] = useState('');
  const add = (e: Event) => {
    e.preventDefault();
    const spec = customName(expBits, manBits, bias.trim() === '' ? undefined : Number(bias), kind);
    const made =
      bias.trim() !== '' && !Number.isInteger(Number(bias))
        ? { ok: false as const, error: 'bias must be an integer' }
        : customFormat(spec);
    setError(made.ok ? '' : made.error);
    if (made.ok) onAdd(spec);
  };
  return (
    <form class="custom" onSubmit={add} aria-labelledby="custom-title">
      <h2 id="custom-title" style="font-size:1rem;margin:0.2rem 0">
        Add a custom format
      </h2>
      <div class="controls">
        <label>
          Exponent bits
          <input
            type="number"
            id="custom-e"
            min={1}
            max={11}
            value={expBits}
            onInput={(e) => setExpBits(Number(e.currentTarget.value))}
          />
        </label>
        <label>
          Mantissa bits
          <input
            type="number"
            id="custom-m"
            min={0}
            max={52}
            value={manBits}
            onInput={(e) => setManBits(Number(e.currentTarget.value))}
          />
        </label>
        <label>
          Bias (blank: 2^(e−1) − 1)
          <input id="custom-bias" inputMode="numeric" value={bias} onInput={(e) => setBias(e.currentTarget.value)} />
        </label>
        <label>
          Kind
          <select id="custom-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as FormatKind)}>
            {FORMAT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Add column</button>
      </div>
      <p class="error" role="alert">
        {error}
      </p>
    </form>
  );
}
