/** `npm run docs`: writes every generated page and picture under docs/. */
import { writeFileSync } from 'node:fs';
import { GENERATED } from './generated.js';

const DOCS = new URL('../', import.meta.url);
for (const [file, make] of Object.entries(GENERATED)) {
  writeFileSync(new URL(file, DOCS), make());
  console.log(`wrote docs/${file}`);
}
