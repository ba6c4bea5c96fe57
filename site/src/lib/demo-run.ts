/** The worker's side of the demo adapter (see demo.ts): the trainer, from the library's source until the package exports it. */
export { DEMO_PRECISIONS, runDemo } from '../../../src/demo/train.js';
