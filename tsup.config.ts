import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

/** The library's entries: output name (dist/<name>.js) → source. The package's subpaths, one each. */
const LIBRARY_ENTRIES = {
  index: 'src/index.ts',
  mx: 'src/entries/mx.ts',
  train: 'src/entries/train.ts',
  // The file API: floatlab/files for every platform, floatlab/files/node for Node's file system.
  files: 'src/files/index.ts',
  'files-node': 'src/files/node-entry.ts',
};

export default defineConfig([
  {
    // The library: ESM and CommonJS with type declarations for both, one output per package.json
    // "exports" subpath. Shared code goes to chunks (CommonJS too), so `floatlab` and
    // `floatlab/mx` in one program are one copy of the library, not two.
    entry: LIBRARY_ENTRIES,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    target: 'es2022',
    treeshake: true,
  },
  {
    // The command-line tool: ESM only, run by Node, with its own dependencies (argument parsing,
    // progress bars) bundled in, so installing the library does not install them.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    noExternal: ['commander', 'cli-progress', 'picomatch'],
    target: 'node20',
    sourcemap: true,
    // The bundled CommonJS dependencies require Node's modules: give them a require.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __floatlabRequire } from 'node:module';\nconst require = __floatlabRequire(import.meta.url);",
    },
    define: { __VERSION__: JSON.stringify(version) },
  },
]);
