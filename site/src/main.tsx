/** The page: tabs over the explorer, the number line, the blocks, the demo and the checkpoint inspector; state in the URL hash. */
import { FORMAT_NAMES, type Format, format } from 'floatlab';
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { customFormat } from './lib/custom.js';
import { hashToState, type PageState, stateToHash, TABS, type Tab } from './lib/state.js';
import { Blocks } from './views/Blocks.js';
import { Checkpoint } from './views/Checkpoint.js';
import { Demo } from './views/Demo.js';
import { Explorer } from './views/Explorer.js';
import { NumberLine } from './views/NumberLine.js';

const TAB_LABELS: Record<Tab, string> = {
  explorer: 'Format explorer',
  line: 'Number line',
  blocks: 'MX blocks',
  demo: 'Training demo',
  checkpoint: 'Checkpoint',
};

/** The built-in formats, then the custom ones the state names (specs that fail are left out and reported). */
function formatsOf(custom: readonly string[]): { formats: Format[]; errors: string[] } {
  const formats = FORMAT_NAMES.map((n) => format(n));
  const errors: string[] = [];
  for (const spec of custom) {
    const made = customFormat(spec);
    if (made.ok) formats.push(made.format);
    else errors.push(made.error);
  }
  return { formats, errors };
}

/** Props every tab gets. */
export interface TabProps {
  state: PageState;
  update: (patch: Partial<PageState>) => void;
  formats: Format[];
}

function App() {
  const [state, setState] = useState<PageState>(() => hashToState(location.hash));
  useEffect(() => {
    const onHash = () => setState(hashToState(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const update = (patch: Partial<PageState>) =>
    setState((s) => {
      const next = { ...s, ...patch };
      const hash = stateToHash(next);
      history.replaceState(null, '', hash === '' ? location.pathname + location.search : `#${hash}`);
      return next;
    });
  const { formats, errors } = useMemo(() => formatsOf(state.custom), [state.custom]);
  const props: TabProps = { state, update, formats };
  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(state.tab);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const tab = TABS[(i + step + TABS.length) % TABS.length]!;
    update({ tab });
    document.getElementById(`tab-${tab}`)?.focus();
  };
  return (
    <>
      <header>
        <h1>floatlab — number formats bit by bit</h1>
        <p>
          float64 to float4, bfloat16, tf32, the float8 family, custom formats, every rounding mode and MX blocks, computed
          exactly in your browser by the <code>floatlab</code> library. The address bar keeps the view: copy it to share.
        </p>
      </header>
      <main>
        <div role="tablist" aria-label="Views" onKeyDown={onTabKey}>
          {TABS.map((t) => (
            <button
              type="button"
              role="tab"
              id={`tab-${t}`}
              key={t}
              aria-selected={state.tab === t}
              aria-controls={state.tab === t ? `panel-${t}` : undefined}
              tabIndex={state.tab === t ? 0 : -1}
              onClick={() => update({ tab: t })}
            >
              {TAB_LABELS[t]}
            </button>
          ))}
        </div>
        {errors.map((e) => (
          <p class="error" role="alert" key={e}>
            {e}
          </p>
        ))}
        <section role="tabpanel" id={`panel-${state.tab}`} aria-labelledby={`tab-${state.tab}`}>
          {state.tab === 'explorer' && <Explorer {...props} />}
          {state.tab === 'line' && <NumberLine {...props} />}
          {state.tab === 'blocks' && <Blocks {...props} />}
          {state.tab === 'demo' && <Demo {...props} />}
          {state.tab === 'checkpoint' && <Checkpoint {...props} />}
        </section>
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
