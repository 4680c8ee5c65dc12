/**
 * Models of a commit that could not be analysed. A gate fails closed: each such model is listed
 * in the report and turns the check into `failure` (or `action_required`, WEIGHTPRINT_ON_ERROR),
 * never `neutral`, which GitHub counts as passing for a required check. The other models of the
 * commit are still analysed and reported.
 */
import { mdText } from '../report/escape.js';
import type { Conclusion } from '../github/checks.js';

export interface ModelError {
  /** Repository path or `hf:` id, as the report names the model. */
  model: string;
  /** One line; names repository files, never temporary copies. */
  message: string;
}

/** What an unanalysable model makes of the check. */
export type OnError = 'failure' | 'action_required';
export const ON_ERROR_VALUES: readonly OnError[] = ['failure', 'action_required'];

/** The check's conclusion once errors are counted: any error overrides what the analysed models said. */
export function concludeWithErrors(analysed: Conclusion, errors: readonly ModelError[], onError: OnError): Conclusion {
  return errors.length ? onError : analysed;
}

/** The report section listing the models that could not be analysed. */
export function renderModelErrors(errors: readonly ModelError[]): string {
  if (!errors.length) return '';
  const lines = [
    `### ⛔ ${errors.length === 1 ? '1 model' : `${errors.length} models`} could not be analysed`,
    '',
    'A model that cannot be analysed fails the check: the gate does not pass what it could not read.',
    '',
  ];
  for (const e of errors) lines.push(`- **${inert(e.model)}**: ${inert(e.message)}`);
  return `${lines.join('\n')}\n`;
}

/** Text from the repository (file names, messages quoting them) made inert in markdown: the one escaping function. */
export function inert(text: string): string {
  return mdText(text);
}
