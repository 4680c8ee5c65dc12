/**
 * Server-rendered pages: no client JavaScript, every value HTML-escaped, reports' markdown
 * rendered by a small renderer that only ever emits tags it builds itself.
 */
import type { JobRow, RepoRow, ResultRow } from './store.js';
import { plural } from '../util/words.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:12px 24px}header a{color:#fff;text-decoration:none;font-weight:600}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin:16px 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d8dee4;vertical-align:top}
th{background:#f6f8fa}code,pre{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:#f6f8fa;padding:8px;overflow:auto;border-radius:6px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:13px;font-weight:600}
.pass{background:#1a7f37}.warn{background:#9a6700}.fail{background:#cf222e}.none{background:#6e7781}
.identical{background:#8250df}.derived{background:#bc4c00}.independent{background:#1a7f37}
.inconclusive{background:#6e7781}
.muted{color:#656d76}.md table{width:auto}h1 code{font-size:0.8em}
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><a href="/">Weightprint</a> <span class="muted">provenance checks</span></header>
<main>${body}</main></body></html>`;
}

/** Coloured by the policy result when there is one (what matters for a merge), else by verdict. */
function verdictBadge(verdict: string, policy?: string | null): string {
  const cls =
    policy === 'pass' || policy === 'warn' || policy === 'fail' ? policy : /^[a-z]+$/.test(verdict) ? verdict : 'none';
  const title = policy ? ` title="policy: ${escapeHtml(policy)}"` : '';
  return `<span class="badge ${cls}"${title}>${escapeHtml(verdict)}</span>`;
}

function time(ms: number | null): string {
  return ms === null ? '' : escapeHtml(`${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)}Z`);
}

/** Only http(s) and site-relative links survive; anything else (javascript:, data:) is dropped. */
function safeHref(url: string): string | undefined {
  if (/^https?:\/\//i.test(url) || /^\/(?!\/)/.test(url) || url.startsWith('#')) return url;
  return undefined;
}

interface DashboardData {
  repos: RepoRow[];
  latest: ResultRow[];
  jobs: JobRow[];
  counts: Record<string, number>;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => `<th>${h}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}</tbody></table>`;
}

export function renderDashboard(d: DashboardData): string {
  const models = d.latest.length
    ? table(
        ['Source', 'Model', 'Verdict', 'Policy', 'Commit', 'Checked', ''],
        d.latest.map((r) => [
          escapeHtml(r.source),
          `<code>${escapeHtml(r.model)}</code>`,
          verdictBadge(r.verdict, r.policy),
          escapeHtml(r.policy ?? ''),
          `<code>${escapeHtml((r.headSha ?? '').slice(0, 7))}</code>`,
          time(r.createdAt),
          `<a href="/reports/${r.id}">report</a>`,
        ]),
      )
    : '<p class="muted">No model has been checked yet.</p>';
  const repoItems = d.repos.map(
    (r) => `<li>${escapeHtml(r.fullName)} <span class="muted">(installation ${r.installationId})</span></li>`,
  );
  const repos = d.repos.length
    ? `<ul>${repoItems.join('')}</ul>`
    : '<p class="muted">No repositories yet: install the App on an organisation or repository.</p>';
  const jobs = d.jobs.length
    ? table(
        ['Job', 'Kind', 'Status', 'Attempts', 'What', 'Summary', 'Updated'],
        d.jobs.map((j) => [
          `<a href="/jobs/${j.id}">#${j.id}</a>`,
          escapeHtml(j.kind),
          escapeHtml(j.status),
          String(j.attempts),
          escapeHtml(describeJob(j)),
          escapeHtml(j.summary ?? j.lastError ?? ''),
          time(j.updatedAt),
        ]),
      )
    : '<p class="muted">No jobs yet.</p>';
  const c = d.counts;
  const queue = `${c.queued ?? 0} queued, ${c.running ?? 0} running, ${c.done ?? 0} done, ${c.failed ?? 0} failed`;
  return page(
    'Weightprint dashboard',
    `<h1>Weightprint</h1>
<p class="muted">Queue: ${queue}.</p>
<section><h2>Latest verdict per model</h2>${models}</section>
<section><h2>Watched repositories</h2>${repos}</section>
<section><h2>Recent jobs</h2>${jobs}</section>`,
  );
}

function describeJob(j: JobRow): string {
  const p = j.payload;
  switch (p.kind) {
    case 'github-check': {
      const pr = p.prNumber !== undefined ? ` #${p.prNumber}` : '';
      return `${p.owner}/${p.repo}${pr} ${p.headSha ? p.headSha.slice(0, 7) : (p.ref ?? '')} (${p.trigger})`;
    }
    case 'hf-check':
      return p.model;
    case 'installation':
      return `installation ${p.installationId} ${p.action}`;
  }
}

export function renderReport(r: ResultRow): string {
  const link = r.detailsUrl && safeHref(r.detailsUrl);
  const facts = [
    `${escapeHtml(r.source)}${r.headSha ? ` @ <code>${escapeHtml(r.headSha)}</code>` : ''}`,
    `policy ${escapeHtml(r.policy ?? 'n/a')}`,
    `checked ${time(r.createdAt)}`,
    ...(link ? [`<a href="${escapeHtml(link)}">check run / issue</a>`] : []),
  ];
  return page(
    `${r.model} — Weightprint`,
    `<p><a href="/">← dashboard</a> · <a href="/jobs/${r.jobId}">job #${r.jobId}</a></p>
<h1><code>${escapeHtml(r.model)}</code> ${verdictBadge(r.verdict, r.policy)}</h1>
<p class="muted">${facts.join(' · ')}</p>
<section class="md">${markdownToHtml(r.markdown)}</section>
<section><h2>Report JSON</h2><pre>${escapeHtml(JSON.stringify(r.report, null, 2))}</pre></section>`,
  );
}

export function renderJob(j: JobRow, results: ResultRow[]): string {
  const rows = results
    .map((r) => {
      const model = `<a href="/reports/${r.id}"><code>${escapeHtml(r.model)}</code></a>`;
      return `<li>${model} ${verdictBadge(r.verdict, r.policy)}</li>`;
    })
    .join('');
  const conclusion = j.conclusion ? `, conclusion <b>${escapeHtml(j.conclusion)}</b>` : '';
  const summary = j.summary ? `<p>${escapeHtml(j.summary)}</p>` : '';
  const lastError = j.lastError ? `<p>Last error: <code>${escapeHtml(j.lastError)}</code></p>` : '';
  return page(
    `Job #${j.id} — Weightprint`,
    `<p><a href="/">← dashboard</a></p><h1>Job #${j.id}</h1>
<p>${escapeHtml(describeJob(j))}</p>
<p>Status <b>${escapeHtml(j.status)}</b> after ${plural(j.attempts, 'attempt')}${conclusion}.</p>
${summary}${lastError}
${rows ? `<section><h2>Reports</h2><ul>${rows}</ul></section>` : ''}`,
  );
}

/** The sign-in form: one field, posted to /login (no JavaScript). */
export function renderLogin(error?: string): string {
  return page(
    'Sign in — Weightprint',
    `<h1>Sign in</h1>${error ? `<p class="fail badge">${escapeHtml(error)}</p>` : ''}
<section><form method="post" action="/login"><p><label>Dashboard token<br>
<input type="password" name="token" autocomplete="current-password" required size="40"></label></p>
<p><button type="submit">Sign in</button></p></form>
<p class="muted">The token is the server's DASHBOARD_TOKEN.
Scripts can send it as <code>Authorization: Bearer …</code> instead.</p></section>`,
  );
}

export function renderNotFound(what: string): string {
  return page(
    'Not found — Weightprint',
    `<h1>Not found</h1><p>${escapeHtml(what)}</p><p><a href="/">dashboard</a></p>`,
  );
}

/**
 * Markdown subset used by the reports: ATX headings, pipe tables, fenced code, lists, quotes,
 * paragraphs, and inline code/bold/italic/links. Raw HTML is escaped, except that report
 * markers (comments) and <details>/<summary> wrappers are unwrapped to their text.
 */
export function markdownToHtml(md: string): string {
  const lines = md
    .replace(/\r\n?/g, '\n')
    .replace(/<!--[\s\S]*?-->/g, '')
    // The reports' only HTML: collapsible sections and small print. Unwrap to their text.
    .replace(/<\/?details(\s+open)?\s*>/gi, '\n')
    .replace(/<summary>(.*?)<\/summary>/gi, '\n**$1**\n')
    .replace(/<\/?sub>/gi, '')
    .split('\n');
  const out: string[] = [];
  let i = 0;
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(`<p>${para.map(inline).join('<br>')}</p>`);
    para = [];
  };
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)(.*)$/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) code.push(lines[i++]!);
      i++;
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      out.push(`<h${h[1]!.length}>${inline(h[2]!)}</h${h[1]!.length}>`);
      i++;
      continue;
    }
    if (line.trim().startsWith('|') && i + 1 < lines.length && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1]!)) {
      flush();
      const head = cells(line);
      const align = cells(lines[i + 1]!).map((c) => (/^:-+:$/.test(c) ? 'center' : /-:$/.test(c) ? 'right' : ''));
      i += 2;
      const body: string[][] = [];
      while (i < lines.length && lines[i]!.trim().startsWith('|')) body.push(cells(lines[i++]!));
      const td = (tag: string, c: string, k: number) =>
        `<${tag}${align[k] ? ` style="text-align:${align[k]}"` : ''}>${inline(c)}</${tag}>`;
      out.push(
        `<table><thead><tr>${head.map((c, k) => td('th', c, k)).join('')}</tr></thead><tbody>${body
          .map((r) => `<tr>${r.map((c, k) => td('td', c, k)).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
      continue;
    }
    if (/^\s*[-*+]\s+/.test(line) || /^\s*\d+\.\s+/.test(line)) {
      flush();
      const ordered = /^\s*\d+\./.test(line);
      const items: string[] = [];
      while (i < lines.length && (/^\s*[-*+]\s+/.test(lines[i]!) || /^\s*\d+\.\s+/.test(lines[i]!)))
        items.push(lines[i++]!.replace(/^\s*([-*+]|\d+\.)\s+/, ''));
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((t) => `<li>${inline(t)}</li>`).join('')}</${tag}>`);
      continue;
    }
    if (/^\s*>/.test(line)) {
      flush();
      const q: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) q.push(lines[i++]!.replace(/^\s*>\s?/, ''));
      out.push(`<blockquote>${markdownToHtml(q.join('\n'))}</blockquote>`);
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      out.push('<hr>');
      i++;
      continue;
    }
    if (line.trim() === '') flush();
    else para.push(line.trim());
    i++;
  }
  flush();
  return out.join('\n');
}

function cells(row: string): string[] {
  let s = row.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  // Split on pipes that are not escaped (\|), as GitHub does.
  return s.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/**
 * Inline spans, read left to right as CommonMark does: a backslash before punctuation makes it text
 * (how reports write names: `\\[x\\](/a)` is text, not a link), a backtick run opens a code span
 * that only a run of the same length closes, and nothing inside a code span is interpreted (a
 * name ending in a backslash must not escape its closing backtick and turn the rest into markup).
 */
function inline(text: string): string {
  // The placeholders below use private-use characters: the input's own become U+FFFD, so none is forged.
  const src = text.replace(/[\uE000\uE001]/g, '\uFFFD');
  const held: string[] = [];
  let out = '';
  let plain = '';
  const flush = () => {
    out += decorate(plain).replace(/\uE000(\d+)\uE001/g, (_m, k: string) => escapeHtml(held[Number(k)] ?? ''));
    plain = '';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && /[!-/:-@[-`{-~]/.test(src[i + 1]!)) {
      held.push(src[i + 1]!);
      plain += `\uE000${held.length - 1}\uE001`;
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 0;
      while (src[i + n] === '`') n++;
      const close = closingRun(src, i + n, n);
      if (close < 0) {
        plain += '`'.repeat(n);
        i += n;
        continue;
      }
      flush();
      let code = src.slice(i + n, close);
      if (code.length >= 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '')
        code = code.slice(1, -1);
      out += `<code>${escapeHtml(code)}</code>`;
      i = close + n;
      continue;
    }
    plain += c;
    i++;
  }
  flush();
  return out;
}

/** Where a run of exactly `n` backticks starts at or after `from`, or -1. */
function closingRun(s: string, from: number, n: number): number {
  for (let j = from; j < s.length; ) {
    if (s[j] !== '`') {
      j++;
      continue;
    }
    let m = 0;
    while (s[j + m] === '`') m++;
    if (m === n) return j;
    j += m;
  }
  return -1;
}

/** Text outside code spans: escaped, with the reports' links (http(s) only), bold and italics. */
function decorate(text: string): string {
  let s = escapeHtml(text.replace(/<br\s*\/?>/gi, '\u0000'));
  // Numeric character references are how reports quote markup characters as text: keep them.
  s = s.replace(/&amp;#(\d{1,7});/g, '&#$1;');
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, url: string) => {
    const raw = url.replace(/&amp;/g, '&');
    const href = safeHref(raw);
    return href ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
  });
  s = s.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/(^|[^*\w])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the line-break placeholder set above
  return s.replace(/\u0000/g, '<br>');
}
