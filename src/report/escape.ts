/**
 * The one place untrusted text (model, directory, file, tensor and component names, config values,
 * base_model, licences, registry ids, error messages) is made safe for output. The PR author
 * chooses all of these, so none may add markup, end a line, hide what follows, mention a team,
 * link an issue or a URL, or reorder what a reader sees.
 *
 * - `mdText`: inline markdown text, safe in a paragraph, list item, heading or table cell.
 * - `mdCode`: an inline code span that survives backtick runs and pipes.
 * - `plainText`: one line for terminals, logs and plain-text API fields (annotations, titles).
 */

/**
 * Control, format (bidi overrides and isolates, zero-width characters, soft hyphen, BOM),
 * line and paragraph separators, and lone surrogates: each becomes U+FFFD, visibly.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const REPLACEMENT = '\uFFFD';
/** Invisible, and breaks GitHub's @mention, #123 reference and autolink patterns. */
const WORD_JOINER = '\u2060';

export function plainText(text: string): string {
  return String(text).replace(INVISIBLE, REPLACEMENT);
}

/**
 * Markdown punctuation escaped with a backslash (CommonMark: any ASCII punctuation may be). `$`
 * too: GitHub renders $…$, $$…$$ and $`…`$ as math, with sizes and colours the author would choose.
 */
const BACKSLASHED = /[\\`*_~[\]|#!$]/g;

export function mdText(text: string): string {
  let s = plainText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BACKSLASHED, (c) => `\\${c}`)
    // GitHub links @user/@org/team, #123, org/repo#123, bare URLs and www. addresses in text
    .replace(/@/g, `@${WORD_JOINER}`)
    .replace(/#/g, `#${WORD_JOINER}`)
    .replace(/:\/\//g, `:${WORD_JOINER}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${WORD_JOINER}.`);
  // A line that starts with a list, heading-underline or numbered-list marker would become a block
  s = s.replace(/^(\s*)([-+=]|\d+[.)])/, (_m, space: string, marker: string) => `${space}${escapeLast(marker)}`);
  return s;
}

function escapeLast(marker: string): string {
  return `${marker.slice(0, -1)}\\${marker.slice(-1)}`;
}

/**
 * Inline code: the delimiter is one backtick longer than the longest run inside, padded with a
 * space when the content holds a backtick or touches a space (CommonMark strips one space each side).
 * In a table cell `|` must be written `\|` (GFM splits cells before it parses code spans).
 */
export function mdCode(text: string, opts: { table?: boolean } = {}): string {
  let s = plainText(text);
  if (s === '') return mdText('""');
  if (opts.table) s = s.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || /^ | $/.test(s) ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A fenced code block whose fence no line of `text` can close. */
export function mdFence(text: string, info = ''): string {
  const clean = String(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu, (c) => (c === '\n' ? c : REPLACEMENT));
  const longest = Math.max(2, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${clean}\n${fence}`;
}
