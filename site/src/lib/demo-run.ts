/** The worker's side of the demo adapter (see demo.ts): the trainer, from the package's `floatlab/train` entry. */
export { runDemo } from 'floatlab/train';
