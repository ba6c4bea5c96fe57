/** Every generated file under docs/, and the function that makes it. */
import { formatsMarkdown } from './formats.js';
import { mxBlockSvg } from './mx-block.js';
import { numberLineSvg } from './number-line.js';
import { ptqSvg } from './ptq.js';
import { roundingMarkdown, roundingSvg } from './rounding.js';

export const GENERATED: Record<string, () => string> = {
  'formats.md': formatsMarkdown,
  'mx-block.svg': mxBlockSvg,
  'number-line.svg': numberLineSvg,
  'ptq.svg': ptqSvg,
  'rounding.md': roundingMarkdown,
  'rounding.svg': roundingSvg,
};
