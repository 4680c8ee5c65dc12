/** The Action's binding to the analysis and the report renderer shared with `weightprint check`. */
import { runCheck } from '../check/run.js';
import { checkConclusion, renderCheckMarkdown } from '../report/markdown.js';
import type { Engine } from './run.js';

export const engine: Engine = {
  runCheck,
  renderMarkdown: renderCheckMarkdown,
  conclusion: checkConclusion,
};
