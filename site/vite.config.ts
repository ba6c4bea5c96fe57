import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repo = fileURLToPath(new URL('..', import.meta.url));

// `npm run site` / `npm run site:dev`: the static page. 'floatlab' resolves to the built package
// (dist/index.js, what a user's bundler would pick), so `npm run build` comes first.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: [
      { find: /^floatlab\/files$/, replacement: `${repo}dist/files.js` },
      { find: /^floatlab$/, replacement: `${repo}dist/index.js` },
    ],
  },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: true },
  server: { fs: { allow: [repo] } },
});
