/** Fitting markdown into GitHub's field limits without breaking its rendering. */

/**
 * The pointer appended to a truncated report. GitHub links the job summary from the run page,
 * so the run URL is the best address available to a step.
 */
function truncationNotice(shown: number, total: number, summaryUrl?: string, where?: string): string {
  const summary = summaryUrl ? `the [job summary](${summaryUrl})` : 'the job summary of the workflow run';
  where ??= `${summary} and in the \`report-markdown\` file`;
  const counts = `${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} characters shown`;
  return `\n\n---\n> [!NOTE]\n> Report truncated (${counts}). The full report is in ${where}.\n`;
}

/**
 * Cuts `markdown` to at most `max` characters (UTF-16 units, which is never fewer than the
 * characters GitHub counts), at a line boundary, closing any open code fence and `<details>` so
 * the rest of the page still renders, and ends with a pointer to the full report.
 */
export function truncateMarkdown(markdown: string, max: number, summaryUrl?: string, where?: string): string {
  if (markdown.length <= max) return markdown;
  // The notice's digits depend on the cut; size it with the worst case first.
  const reserve = truncationNotice(markdown.length, markdown.length, summaryUrl, where).length + 64;
  const budget = Math.max(0, max - reserve);
  const isFence = (l: string) => /^\s{0,3}(```|~~~)/.test(l);
  let cut = Math.max(0, markdown.lastIndexOf('\n', budget));
  if (cut < budget / 2) {
    // One huge line. Inside a code fence it is cut anywhere (the fence is closed below). Elsewhere a
    // cut could leave an inline code span open: what followed its backticks, a name written raw as
    // code, would render as markdown (links, images, mentions). There the line is left out whole.
    const fencesBefore = markdown.slice(0, cut).split('\n').filter(isFence).length;
    if (fencesBefore % 2 === 1) {
      cut = budget;
      // Do not split a surrogate pair.
      const code = markdown.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
  }
  const kept = markdown.slice(0, cut);

  const fences = kept.split('\n').filter(isFence).length;
  let closing = '';
  if (fences % 2 === 1) closing += '\n```';
  const opened = (kept.match(/<details\b/gi) ?? []).length - (kept.match(/<\/details>/gi) ?? []).length;
  for (let i = 0; i < opened; i++) closing += '\n</details>';

  const out = kept + closing + truncationNotice(kept.length, markdown.length, summaryUrl, where);
  // The reserve makes this unreachable, but the API rejects an over-long body outright.
  return out.length <= max ? out : out.slice(0, max);
}
