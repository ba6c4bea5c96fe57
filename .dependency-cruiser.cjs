/**
 * The layering of src/ (see ARCHITECTURE.md): a module imports only from its own layer or the
 * layers below it, and no two modules import each other, however indirectly. Type-only imports
 * count (tsPreCompilationDeps), since a type cycle still ties two modules together.
 * `npm run lint` runs this over src/.
 */

/** The layers, bottom to top. Every module of src/ belongs to exactly one. */
const LAYERS = [
  ['core', '^src/core/'],
  ['formats', '^src/(formats|options)\\.ts$'],
  ['codec', '^src/(round\\.ts$|codec/)'],
  ['numerics', '^src/((ulp|decimal|finfo|inspect)\\.ts$|scaled/|mx/)'],
  ['tensor', '^src/tensor/'],
  ['training', '^src/(optim|amp)/'],
  ['demo', '^src/demo/'],
  ['files', '^src/files/'],
  // The command and the entry points: the barrel and the subpath entries beside it.
  ['entry', '^src/(cli/|index\\.ts$|entries/)'],
];

/** One rule per boundary: layer i may not import from any layer above it. */
const upward = LAYERS.slice(0, -1).map(([name, path], i) => ({
  name: `${name}-not-upward`,
  comment: `${name} (${path}) imports only from ${LAYERS.slice(0, i + 1)
    .map(([n]) => n)
    .join(', ')}`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(i + 1).map(([, p]) => p) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'files-not-demo',
      comment: 'the file API sits above the demo but stands apart from it: it may use everything below the demo, not the demo',
      severity: 'error',
      from: { path: '^src/files/' },
      to: { path: '^src/demo/' },
    },
    {
      name: 'in-a-layer',
      comment: 'every module of src/ belongs to a layer: add a new directory or entry point to LAYERS in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/', pathNot: LAYERS.map(([, p]) => p) },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'no module depends on itself through others, type-only imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.d\\.ts$' },
  },
};
