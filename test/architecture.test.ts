/**
 * The layering of src/ (README, "Architecture"), kept true: every import in src/ is parsed and
 * checked against which part may import which. An import that breaks it fails here, naming the
 * file, the import and the rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

type Part =
  | 'util'
  | 'errors'
  | 'version'
  | 'net'
  | 'formats'
  | 'fingerprint'
  | 'compare'
  | 'check'
  | 'report'
  | 'policy'
  | 'registry'
  | 'registry/build'
  | 'github'
  | 'synth'
  | 'eval'
  | 'cli'
  | 'action'
  | 'app';

interface Rule {
  /** Parts whose modules may be imported (values and types). */
  may: Part[];
  /** Parts whose types, and only types, may be imported. */
  types?: Part[];
  /** Modules of allowed parts that are still off limits. */
  not?: string[];
  /** npm packages; `*` for any. */
  packages: string[];
  /** Node built-ins; `*` for any, none for parts that do no I/O of their own. */
  node: string[];
}

const BASE: Part[] = ['util', 'errors', 'version'];
/** Fingerprinting reads files and runs workers: the comparison and the reports get documents. */
const FINGERPRINTING = ['fingerprint/load.ts', 'fingerprint/model.ts', 'fingerprint/parallel.ts'].concat(
  'fingerprint/shards.ts',
  'fingerprint/worker.ts',
);
const CORE: Part[] = ['net', 'formats', 'fingerprint', 'compare', 'check', 'report', 'policy', 'registry'];

const RULES: Record<Part, Rule> = {
  util: { may: [], packages: [], node: [] },
  errors: { may: [], packages: [], node: [] },
  version: { may: [], packages: [], node: [] },
  net: { may: BASE, packages: [], node: ['*'] },
  formats: { may: ['net', ...BASE], packages: ['@huggingface/hub', '@huggingface/gguf'], node: ['*'] },
  fingerprint: { may: ['formats', ...BASE], packages: ['yaml'], node: ['*'] },
  // no I/O: documents in, results out
  compare: { may: ['fingerprint', ...BASE], not: FINGERPRINTING, packages: [], node: [] },
  // reading registries pulls in no Hub client and none of the code that builds them
  registry: { may: ['fingerprint', 'net', ...BASE], not: FINGERPRINTING, packages: [], node: ['*'] },
  'registry/build': { may: ['registry', 'fingerprint', 'formats', 'net', ...BASE], packages: ['yaml'], node: ['*'] },
  policy: {
    may: ['compare', 'fingerprint', 'registry', 'net', ...BASE],
    not: FINGERPRINTING,
    packages: ['yaml'],
    node: ['*'],
  },
  check: {
    may: ['compare', 'fingerprint', 'formats', 'policy', 'registry', 'report', ...BASE],
    packages: [],
    node: [],
  },
  // renders results it is given: check's types only, or check and report would depend on each other
  report: { may: ['compare', 'fingerprint', ...BASE], types: ['check'], not: FINGERPRINTING, packages: [], node: [] },
  github: {
    may: ['report', ...BASE],
    types: ['check', 'compare'],
    packages: ['@octokit/rest', '@octokit/app', '@octokit/plugin-throttling', '@octokit/plugin-retry'],
    node: ['*'],
  },
  synth: { may: ['formats', 'fingerprint', 'compare', ...BASE], packages: [], node: ['*'] },
  eval: { may: ['check', 'compare', 'fingerprint', 'formats', 'synth', ...BASE], packages: [], node: ['*'] },
  // adapters: any part of the core and the infrastructure, never another adapter
  cli: {
    may: [...CORE, 'registry/build', 'github', 'synth', 'eval', ...BASE],
    packages: ['*'],
    node: ['*'],
  },
  action: { may: [...CORE, 'github', ...BASE], packages: ['*'], node: ['*'] },
  app: { may: [...CORE, 'github', ...BASE], packages: ['*'], node: ['*'] },
};

interface SourceFile {
  /** Path from the project root, e.g. `src/compare/engine.ts`. */
  path: string;
  text: string;
}

interface Import {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

/** Every static, re-exporting, side-effect and dynamic import of a module. */
function importsOf(file: SourceFile): Import[] {
  const out: Import[] = [];
  const code = file.text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const statement = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s+from\s+['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(statement)) {
    const names = m[3]!;
    const inlineTypes =
      /^\{[^}]*\}$/.test(names.trim()) &&
      names
        .replace(/[{}\s]/g, '')
        .split(',')
        .filter(Boolean);
    const allInline = inlineTypes && inlineTypes.length > 0 && inlineTypes.every((n) => n.startsWith('type'));
    out.push({ file: file.path, specifier: m[4]!, typeOnly: Boolean(m[2]) || Boolean(allInline) });
  }
  for (const m of code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm))
    out.push({ file: file.path, specifier: m[1]!, typeOnly: false });
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g))
    out.push({ file: file.path, specifier: m[1]!, typeOnly: false });
  return out;
}

function partOf(path: string): Part | undefined {
  const rel = posix.relative('src', path);
  if (rel.startsWith('..')) return undefined;
  const segs = rel.split('/');
  if (segs.length === 1) return segs[0]!.replace(/\.ts$/, '') as Part;
  if (segs[0] === 'registry' && segs[1] === 'build') return 'registry/build';
  return segs[0] as Part;
}

function packageOf(specifier: string): string {
  return specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
}

/** One line per import that breaks the rules. */
function violations(files: SourceFile[], rules: Record<Part, Rule> = RULES): string[] {
  const out: string[] = [];
  for (const file of files) {
    const from = partOf(file.path);
    if (!from) continue;
    const rule = rules[from];
    if (!rule) {
      out.push(`${file.path}: part "${from}" has no rule (add it to the README's Architecture and to RULES)`);
      continue;
    }
    for (const imp of importsOf(file)) {
      const at = `${file.path}: import '${imp.specifier}'`;
      if (imp.specifier.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(file.path), imp.specifier)).replace(/\.js$/, '.ts');
        const to = partOf(target);
        if (!to) {
          out.push(`${at} leaves src/`);
          continue;
        }
        if (to === from) continue;
        const ok = rule.may.includes(to) || (imp.typeOnly && rule.types?.includes(to));
        if (!ok) {
          const types = rule.types?.includes(to) ? ' (types only)' : '';
          out.push(`${at}: ${from}/ may not import ${to}/${types}`);
        } else if (rule.not?.includes(posix.relative('src', target))) {
          out.push(`${at}: ${from}/ may not import ${posix.relative('src', target)}`);
        }
      } else if (imp.specifier.startsWith('node:')) {
        const mod = imp.specifier.slice(5);
        if (!rule.node.includes('*') && !rule.node.includes(mod)) out.push(`${at}: ${from}/ does no I/O of its own`);
      } else if (!rule.packages.includes('*') && !rule.packages.includes(packageOf(imp.specifier))) {
        out.push(`${at}: ${from}/ may not use ${packageOf(imp.specifier)}`);
      }
    }
  }
  return out;
}

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

function sources(dir: string): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => {
      const abs = join(e.parentPath, e.name);
      return { path: relative(ROOT, abs).split('\\').join('/'), text: readFileSync(abs, 'utf8') };
    });
}

describe('architecture', () => {
  it("src/ keeps the layering: no import breaks the README's rules", () => {
    const files = sources(join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(50);
    expect(violations(files)).toEqual([]);
  });

  it("the README's table says what RULES enforce", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('## Development'));
    const rows = [...section.matchAll(/^\|\s*(`[^|]*)\|([^|]*)\|([^|]*)\|$/gm)];
    const named = (cell: string): Part[] =>
      [...cell.matchAll(/`([a-z/]+)`/g)]
        .map((m) => m[1]!.replace(/\/$/, ''))
        .filter((p): p is Part => p in RULES)
        .concat(/\bbase\b/.test(cell) ? BASE : []);
    const covered = new Set<Part>();
    for (const [, parts, may, never] of rows) {
      for (const part of named(parts!)) {
        covered.add(part);
        const allowed = [...RULES[part].may, ...(RULES[part].types ?? [])];
        for (const p of named(may!)) expect(allowed, `${part} may import ${p}`).toContain(p);
        for (const p of named(never!)) expect(allowed, `${part} never imports ${p}`).not.toContain(p);
      }
    }
    expect([...covered].sort()).toEqual(Object.keys(RULES).sort());
  });

  it('finds the imports of a module, type-only ones marked', () => {
    const imports = importsOf({
      path: 'src/x/a.ts',
      text: [
        'import { a,',
        '  b } from "./b.js";',
        "import type { C } from '../c/c.js';",
        "import { type D, type E } from '../d/d.js';",
        "import { type F, g } from '../f/f.js';",
        "export { h } from '../h/h.js';",
        "import '../side/effect.js';",
        "const lazy = await import('../lazy/l.js');",
        "// import { no } from '../commented/out.js';",
        "/* import { no } from '../blocked/out.js'; */",
      ].join('\n'),
    });
    expect(imports.map((i) => [i.specifier, i.typeOnly])).toEqual([
      ['./b.js', false],
      ['../c/c.js', true],
      ['../d/d.js', true],
      ['../f/f.js', false],
      ['../h/h.js', false],
      ['../side/effect.js', false],
      ['../lazy/l.js', false],
    ]);
  });

  it('fails on imports that break the rules, and names them', () => {
    const file = (path: string, ...lines: string[]) => ({ path, text: lines.join('\n') });
    const bad = [
      file(
        'src/compare/x.ts',
        "import { readFile } from 'node:fs/promises';",
        "import { open } from '../formats/model.js';",
      ),
      file('src/compare/y.ts', "import { Octokit } from '@octokit/rest';", "import { x } from '../github/client.js';"),
      file('src/compare/z.ts', "import { loadFingerprint } from '../fingerprint/load.js';"),
      file(
        'src/registry/store.ts',
        "import { hubOpener } from '../formats/hub.js';",
        "import { u } from './build/update.js';",
      ),
      file('src/registry/keys.ts', "import { listModels } from '@huggingface/hub';"),
      file('src/check/run.ts', "import { run } from '../action/run.js';"),
      file('src/report/markdown.ts', "import { runCheck } from '../check/run.js';"),
      file('src/app/models.ts', "import { isTriggerFile } from '../action/changed-files.js';"),
      file('src/widgets/w.ts', "import { x } from '../util/collections.js';"),
    ];
    expect(violations(bad)).toEqual([
      "src/compare/x.ts: import 'node:fs/promises': compare/ does no I/O of its own",
      "src/compare/x.ts: import '../formats/model.js': compare/ may not import formats/",
      "src/compare/y.ts: import '@octokit/rest': compare/ may not use @octokit/rest",
      "src/compare/y.ts: import '../github/client.js': compare/ may not import github/",
      "src/compare/z.ts: import '../fingerprint/load.js': compare/ may not import fingerprint/load.ts",
      "src/registry/store.ts: import '../formats/hub.js': registry/ may not import formats/",
      "src/registry/store.ts: import './build/update.js': registry/ may not import registry/build/",
      "src/registry/keys.ts: import '@huggingface/hub': registry/ may not use @huggingface/hub",
      "src/check/run.ts: import '../action/run.js': check/ may not import action/",
      "src/report/markdown.ts: import '../check/run.js': report/ may not import check/ (types only)",
      "src/app/models.ts: import '../action/changed-files.js': app/ may not import action/",
      'src/widgets/w.ts: part "widgets" has no rule (add it to the README\'s Architecture and to RULES)',
    ]);
  });

  it('accepts what the rules allow', () => {
    const ok = [
      { path: 'src/compare/a.ts', text: "import type { FingerprintDocument } from '../fingerprint/types.js';" },
      { path: 'src/report/b.ts', text: "import type { CheckResult } from '../check/types.js';" },
      { path: 'src/registry/build/c.ts', text: "import { openHubModel } from '../../formats/hub.js';" },
      {
        path: 'src/action/d.ts',
        text: "import * as core from '@actions/core';\nimport { x } from '../github/client.js';",
      },
    ];
    expect(violations(ok)).toEqual([]);
  });
});
