/**
 * Nothing the PR author writes is rendered as markup. A real check runs on a model whose
 * directory, tensor names, config values and card are hostile; the report (PR comment, job
 * summary, check details, dashboard page, terminal) is rendered with a real CommonMark/GFM
 * renderer (markdown-it, raw HTML and autolinks on, as GitHub allows) and the HTML is inspected:
 * no element the author chose, no link, no @mention or #reference, the verdict line intact and
 * the rest of the comment visible.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.js';
import type { CheckResult } from '../../src/check/types.js';
import { checkSummary } from '../../src/cli/commands/check.js';
import { checkDetails } from '../../src/github/checks.js';
import { markdownToHtml } from '../../src/app/dashboard.js';
import { addEntry } from '../../src/registry/index.js';
import { mdCode, mdFence, mdText, plainText } from '../../src/report/escape.js';
import { renderCheckMarkdown } from '../../src/report/markdown.js';
import { fineTune, withCard } from '../../src/synth/derive.js';
import type { SynthModel } from '../../src/synth/model.js';
import { writeModelDir } from '../../src/synth/write.js';
import { base, fingerprintSynth, SMALL, tempDir } from '../registry/fixtures.js';

/** The directory name from the issue: it tries to fake a passing verdict and hide the rest. */
const FAKE_PASS = 'm`: 🟩 independent · policy ✅ pass\r<!--';
const HOSTILE = [
  FAKE_PASS,
  '<img src=x onerror=alert(1)>',
  '@org/team',
  '#1',
  '[x](http://evil.example/)',
  '[relative](/reports/1)',
  'http://evil.example/autolink www.evil.example',
  'a``b```c`',
  '`leading and trailing`',
  'pipe | in | name',
  'line\nbreak ### heading',
  '\u202Egnp.exe\u202C bidi \u2066isolate\u2069 zero\u200Bwidth',
  '**bold** _it_ ~~strike~~ <!-- comment --> &amp; &lt;',
  '- list',
  '1. numbered',
  ':white_check_mark: pass',
  '</details><details open><summary>fake</summary>',
  // a name ending in a backslash must not escape its code span's closing backtick (App page)
  'x\\',
  'a\\` [y](https://evil.example/) **b** `',
  // the App page's own placeholder characters
  '\uE0000\uE001 \uE0009\uE001',
  // GitHub renders $…$, $$…$$ and $`…`$ as math: styled text, sizes and colours the author chose
  '$\\Huge{PASS}$ $$x^{2}$$ $`y`$ $',
];

const md = new MarkdownIt({ html: true, linkify: true });

/** What a reader sees and what GitHub would turn into links, from rendered HTML. */
function inspect(html: string) {
  // text outside <code>/<pre>, where GitHub applies its mention, reference and autolink filters
  const outsideCode = html.replace(/<(code|pre)>[\s\S]*?<\/\1>/g, ' ');
  const text = outsideCode.replace(/<[^>]+>/g, ' ');
  const decoded = text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
  return {
    tags: [...html.matchAll(/<([a-z][a-z0-9]*)\b/gi)].map((m) => m[1]!.toLowerCase()),
    mentions: decoded.match(/(?<![\w`])@[a-z0-9][a-z0-9-]*/gi) ?? [],
    references: decoded.match(/(?<![\w&])#\d+/g) ?? [],
    urls: decoded.match(/\b(https?:\/\/|www\.)[^\s<]+/gi) ?? [],
  };
}

/** Tags our renderers emit (markdown-it's for markdown, plus the report's own <details>). */
const ALLOWED_TAGS = new Set([
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'code', 'pre'],
  ...['table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'sub', 'blockquote', 'hr', 'br'],
]);

function expectInert(html: string): void {
  const found = inspect(html);
  expect(found.tags.filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
  expect(html).not.toMatch(/<a\b/);
  expect(html).not.toMatch(/<img\b/i);
  expect(html).not.toMatch(/<!--/);
  expect(found.mentions).toEqual([]);
  expect(found.references).toEqual([]);
  expect(found.urls).toEqual([]);
  // no bidi override, isolate or zero-width character reaches the reader
  expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200B\u200E\u200F\r]/);
}

let tmp: { dir: string; cleanup: () => Promise<void> };
let result: CheckResult;

/** Every tensor of the second layer renamed to carry one hostile string each. */
function hostileTensors(m: SynthModel): SynthModel {
  let k = 0;
  const tensors = new Map(
    [...m.tensors].map(([name, t]) =>
      name.includes('layers.1.') ? [`${name}${HOSTILE[k++ % HOSTILE.length]}`, t] : [name, t],
    ),
  );
  return { ...m, tensors };
}

beforeAll(async () => {
  tmp = await tempDir('hostile');
  const A = base(SMALL, 41, 'synth/base');
  const { fp } = await fingerprintSynth(tmp.dir, A, 'A');
  const registry = join(tmp.dir, 'registry');
  await addEntry(registry, fp, { id: 'hf:synth/base@main', license: '<b>MIT</b> @org/team', family: 'synth' });
  const tuned = withCard(hostileTensors(fineTune(A, 0.15, 1)), 'synth/tuned', [
    'evil/base @org/team <img src=x> [x](http://evil.example/)',
  ]);
  const parent = join(tmp.dir, 'models');
  await mkdir(parent, { recursive: true });
  const dir = await writeModelDir(tuned, join(parent, FAKE_PASS));
  [result] = (await runCheck({ models: [dir], registries: [registry], noBuiltin: true })) as [CheckResult];
}, 300_000);

afterAll(async () => {
  await tmp.cleanup();
});

/** The real result with hostile text in every string field a report shows (a forged saved report). */
function forged(r: CheckResult): CheckResult {
  let k = 0;
  const next = () => HOSTILE[k++ % HOSTILE.length]!;
  const m = r.matches[0]!;
  return {
    ...r,
    policy: { ...r.policy, reasons: [...r.policy.reasons, ...HOSTILE], grades: { [next()]: next(), [next()]: next() } },
    registry: { entries: 1, shortlisted: 1, compared: 1, errors: HOSTILE.map((h) => ({ entry: h, reason: h })) },
    matches: [
      {
        ...m,
        entry: next(),
        reason: next(),
        a: { ...m.a, id: next() },
        b: { ...m.b, id: next() },
        components: m.components.map((c) => ({
          ...c,
          name: c.layers && c.layers.length >= 3 ? HOSTILE.find((h) => h.includes('\n'))! : next(),
          a: next(),
          evidence: c.evidence.map((e) => ({ ...e, detail: next() })),
          layers: c.layers?.map((l) => ({ ...l })),
        })),
        tokenizer: { detail: next() } as CheckResult['matches'][0]['tokenizer'],
        config: { detail: next() } as CheckResult['matches'][0]['config'],
        lineage: { detail: next() } as CheckResult['matches'][0]['lineage'],
        not_compared: HOSTILE.map((h) => ({ what: h, why: h })),
      },
      ...r.matches.slice(1),
    ],
  };
}

describe('the PR comment and job summary (renderCheckMarkdown)', () => {
  it('a real check of the hostile directory: derived, and the verdict line is the one we wrote', () => {
    expect(result.verdict).toBe('derived');
    const html = md.render(renderCheckMarkdown([result]));
    const h3 = [...html.matchAll(/<h3>([\s\S]*?)<\/h3>/g)].map((m) => m[1]!);
    expect(h3).toHaveLength(1);
    // the name is one code element; the verdict and policy after it are ours
    expect(h3[0]).toMatch(
      /^<code>[^<]*m`: 🟩 independent · policy ✅ pass\uFFFD&lt;!--<\/code>: 🟧 derived · policy ❌ fail$/,
    );
    // nothing after the name was hidden: the table, the detail section and the footnote are there
    expect(html).toMatch(/<th>registry entry<\/th>/);
    expect(html).toMatch(/Closest match in detail/);
    expect(html).toMatch(/Score: Stouffer z over/);
    expectInert(html);
  });

  it('hostile text in every field of a (forged) result stays text', () => {
    const r = forged(result);
    const source = renderCheckMarkdown([r, { ...r, model: HOSTILE[1]! }]);
    const html = md.render(source);
    expectInert(html);
    expect([...html.matchAll(/<h3>/g)]).toHaveLength(2);
    const headings = [...html.matchAll(/<h3>([\s\S]*?)<\/h3>/g)].map((m) => m[1]!);
    for (const h of headings) expect(h).toMatch(/<\/code>: 🟧 derived · policy ❌ fail$/);
    // the strings appear as text a reader can read
    const text = html.replace(/<[^>]+>/g, '').replace(/\u2060/g, '');
    for (const shown of ['<img src=x onerror=alert(1)>', '@org/team', '[x](http://evil.example/)', '#1'])
      expect(text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toContain(shown);
    // every table row keeps its column count (no pipe from a name split a cell)
    for (const table of html.match(/<table>[\s\S]*?<\/table>/g) ?? []) {
      const widths = new Set(
        (table.match(/<tr>[\s\S]*?<\/tr>/g) ?? []).map((row) => (row.match(/<t[hd]\b/g) ?? []).length),
      );
      expect(widths.size).toBe(1);
    }
  });

  it('hostile text in the read line and the challenge section (a forged saved report) stays text', () => {
    let k = 0;
    const next = () => HOSTILE[k++ % HOSTILE.length]!;
    const entry = (status: 'challenged' | 'not-possible' | 'failed') => ({
      entry: next(),
      status,
      why: next(),
      source: next(),
      verified: next(),
      published: next() as 'independent',
      private: next() as 'derived',
      verdict: next() as 'derived',
      rewritten: [next(), next()],
      privateStatistic: { component: next(), z: 5, p: 1e-6, null: { mean: 0, std: 1 }, tensors: 3 },
      discrepancy: { pairs: 4, publishedR: 0, privateR: 0.9, medianGap: 9, p: 1e-9, discrepant: 4, privateValues: 9 },
    });
    const r: CheckResult = {
      ...forged(result),
      fingerprint: {
        mode: 'full',
        why: next(),
        bytesRead: 1,
        totalBytes: 2,
        verified: next(),
      } as CheckResult['fingerprint'],
      challenge: {
        setting: next() as 'auto',
        limit: 4,
        seed: 7,
        k: 4096,
        entries: [entry('challenged'), entry('not-possible'), entry('failed')],
      } as CheckResult['challenge'],
    };
    const html = md.render(renderCheckMarkdown([r]));
    expectInert(html);
    expect(html).toMatch(/<strong>Full fingerprint<\/strong>/);
    expect(html).toMatch(/<strong>Challenge sample<\/strong>/);
    expect(html).toMatch(/The published sample coordinates were rewritten/);
    expectInert(md.render(checkDetails([r])));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must be absent
    expect(checkSummary([r])).not.toMatch(/[\r\u001b\u202A-\u202E\u2066-\u2069]/);
  });

  it("no dollar sign the author wrote can open GitHub's math ($…$, $$…$$, $`…`$)", () => {
    // markdown-it renders no math, so this is checked on the markdown: outside fenced blocks and
    // code spans every `$` must be backslash-escaped (CommonMark: then it is a literal dollar).
    const r = forged(result);
    for (const source of [renderCheckMarkdown([r, { ...r, model: HOSTILE.at(-1)! }]), checkDetails([r])]) {
      expect(source).toContain('Huge');
      const prose = withoutCodeSpans(source.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, ''));
      const ctx = [...prose.matchAll(/(?<!\\)\$/g)].map((m) => prose.slice(Math.max(0, m.index! - 60), m.index! + 20));
      expect(ctx).toEqual([]);
    }
  });

  it('a line too long for the comment is not cut inside a code span (its contents would render)', () => {
    // A forged saved report (the fork writes it; it is still posted as an unverified comment) with a
    // registry entry id of 70,000 characters: the comment's cut fell inside its code span, which was
    // left open, so the markup after the opening backticks (written raw, as code) rendered.
    const markup = '@org/team [x](http://evil.example/) <img src=x onerror=alert(1)> #1 ';
    const r = forged(result);
    const long: CheckResult = {
      ...r,
      registry: {
        entries: 1,
        shortlisted: 1,
        compared: 0,
        errors: [{ entry: markup + 'A'.repeat(70_000), reason: 'x' }],
      },
    };
    for (const maxLength of [65_000, 20_000]) {
      const source = renderCheckMarkdown([long], { maxLength });
      expect(source.length).toBeLessThanOrEqual(maxLength);
      expect(source).toContain('Report truncated');
      expectInert(md.render(source));
    }
  });

  it('the mermaid chart title cannot leave its string, line or fence', () => {
    const r = forged(result);
    const source = renderCheckMarkdown([r]);
    const blocks = [...source.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!.split('\n'));
    expect(blocks.length).toBeGreaterThan(0);
    for (const lines of blocks) {
      expect(lines).toHaveLength(5);
      expect(lines[0]).toBe('xychart-beta');
      expect(lines[1]).toMatch(/^ {2}title "[^"`<>]*: median centred r per layer \(B vs A\)"$/);
    }
  });
});

describe('the check run details, the dashboard page and the terminal', () => {
  it('check details (output.text) render inert', () => {
    expectInert(md.render(checkDetails([forged(result)])));
  });

  it('the dashboard report page shows the markdown as text', () => {
    const html = markdownToHtml(renderCheckMarkdown([forged(result)]));
    expect(html).not.toMatch(/<img\b|<a\b|<script\b/i);
    expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('the terminal summary has no control or bidi character', () => {
    const text = checkSummary([forged(result)]);
    expect(text.split('\n').length).toBeGreaterThan(3);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must be absent
    expect(text).not.toMatch(/[\r\u001b\u202A-\u202E\u2066-\u2069]/);
  });
});

/** Markdown without its code spans (CommonMark: a backtick run up to the next run of the same length). */
function withoutCodeSpans(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    if (src[i] !== '`' || (i > 0 && src[i - 1] === '\\')) {
      out += src[i++];
      continue;
    }
    let n = 0;
    while (src[i + n] === '`') n++;
    const close = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g');
    close.lastIndex = i + n;
    const m = close.exec(src);
    if (!m) {
      out += src.slice(i, i + n);
      i += n;
      continue;
    }
    out += ' ';
    i = m.index + n;
  }
  return out;
}

describe('the escaping functions', () => {
  it('code spans survive any backtick run and pipes in tables', () => {
    for (const name of ['a`b', 'a``b', '```', '`x`', 'x | y', ' spaced ', '``a|b``']) {
      const inline = md.renderInline(mdCode(name));
      expect(inline).toBe(`<code>${name.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code>`);
      const table = md.render(`| a | b |\n|---|---|\n| ${mdCode(name, { table: true })} | z |\n`);
      expect(table).toContain(`<td><code>${name}</code></td>\n<td>z</td>`);
    }
  });

  it('text shows every character it was given, as text', () => {
    for (const name of HOSTILE.slice(1, 9)) {
      const html = md.renderInline(mdText(name));
      expectInert(html);
      const shown = html
        .replace(/<[^>]+>/g, '')
        .replace(/\u2060/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
      expect(shown).toBe(plainText(name));
    }
  });

  it('a fenced block cannot be closed by its contents', () => {
    const message = 'weightprint: x```\n```\n<img src=x>: bad';
    const html = md.render(mdFence(message));
    expect(html.match(/<pre>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<img/);
  });
});
