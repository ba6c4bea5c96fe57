/** The blocks tab: values in, every block format's shared scales (and NVFP4's tensor scale), element codes, dequantized values and errors out. */
import { useState } from 'preact/hooks';
import { BLOCK_SCHEMES, type BlockResult, parseBlockInput, sampleBlock } from '../lib/blocks.js';
import { short } from '../lib/explore.js';
import type { TabProps } from '../main.js';

export function Blocks({ state, update }: TabProps) {
  const [seed, setSeed] = useState(1);
  const text = state.block === '' ? sampleBlock(0).join(', ') : state.block;
  const parsed = parseBlockInput(text);
  const results = parsed.ok ? BLOCK_SCHEMES.map((s) => ({ name: s.name, r: s.quantize(parsed.values) })) : [];
  return (
    <div class="blocks">
      <div class="controls">
        <label style="flex:1 1 100%">
          Values (commas or spaces; 32 make one MX block, 16 one NVFP4 block)
          <textarea
            id="block-input"
            class="mono"
            rows={3}
            value={text}
            onInput={(e) => update({ block: e.currentTarget.value })}
          />
        </label>
        <button
          type="button"
          id="block-generate"
          onClick={() => {
            update({ block: sampleBlock(seed).join(', ') });
            setSeed(seed + 1);
          }}
        >
          Generate 32 values
        </button>
      </div>
      <p class={parsed.ok ? 'status' : 'status error'} aria-live="polite" id="block-status">
        {parsed.ok
          ? `${parsed.values.length} values, ${Math.ceil(parsed.values.length / 32)} MX block(s) of 32, ${Math.ceil(parsed.values.length / 16)} NVFP4 block(s) of 16`
          : parsed.error}
      </p>
      {parsed.ok && (
        <>
          <h2 style="font-size:1.05rem">Summary</h2>
          <div class="scroll">
            <table id="block-summary">
              <thead>
                <tr>
                  <th scope="col">format</th>
                  <th scope="col">element</th>
                  <th scope="col">block size</th>
                  <th scope="col">scale(s)</th>
                  <th scope="col">tensor scale</th>
                  <th scope="col">max |error|</th>
                  <th scope="col">RMS error</th>
                  <th scope="col">saturated</th>
                  <th scope="col">flushed to 0</th>
                </tr>
              </thead>
              <tbody>
                {results.map(({ name, r }) => (
                  <tr key={name} data-summary={name}>
                    <th scope="row">{name}</th>
                    <td>{r.element}</td>
                    <td class="num">{r.blockSize}</td>
                    <td class="num">{r.scales.map((s) => short(s.value)).join(', ')}</td>
                    <td class="num" data-role="tensor-scale">
                      {r.tensorScale === undefined ? '—' : short(r.tensorScale)}
                    </td>
                    <td class="num">{short(r.maxAbsError)}</td>
                    <td class="num">{short(r.rmsError)}</td>
                    <td class="num">{r.saturated}</td>
                    <td class="num">{r.underflow}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {results.map(({ name, r }) => (
            <SchemeTable key={name} name={name} r={r} input={parsed.values} />
          ))}
        </>
      )}
    </div>
  );
}

function SchemeTable({ name, r, input }: { name: string; r: BlockResult; input: Float64Array }) {
  const digits = Math.ceil(r.elementBits / 4);
  return (
    <section data-scheme={name} aria-labelledby={`scheme-${name}`}>
      <details>
        <summary>
          <h3 id={`scheme-${name}`} style="display:inline;font-size:1rem">
            {name}
          </h3>{' '}
          — {r.element} elements, {r.scaleFormat} scale{' '}
          {r.scales.map((s) => `0x${s.code.toString(16).padStart(2, '0')} = ${short(s.value)}`).join('; ')}
          {r.tensorScale !== undefined && `, under a float32 tensor scale ${short(r.tensorScale)}`}
        </summary>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">input</th>
                <th scope="col">code</th>
                <th scope="col">dequantized</th>
                <th scope="col">error</th>
              </tr>
            </thead>
            <tbody>
              {r.codes.map((code, i) => (
                <tr key={i}>
                  <td class="num">{i}</td>
                  <td class="num">{short(input[i]!)}</td>
                  <td class="num" data-role="code">
                    0x{code.toString(16).padStart(digits, '0')}
                  </td>
                  <td class="num" data-role="value">
                    {short(r.values[i]!)}
                  </td>
                  <td class="num">{short(r.errors[i]!)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
