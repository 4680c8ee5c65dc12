/**
 * `weightprint check <model>... [--registry dir|url]... [--policy file] [--json|--markdown] [--sketch|--full]
 * [-o file]`
 * Exit code from the policy: 0 pass (and warn, unless the policy says otherwise), 1 fail; bad input 2.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createEngine } from '../../check/engine.js';
import { checkReport, worstPolicy } from '../../check/report.js';
import type { CheckResult } from '../../check/types.js';
import { DEFAULT_POLICY, DEFAULT_POLICY_FILES, loadPolicy } from '../../policy/load.js';
import { plainText } from '../../report/escape.js';
import { formatBytes } from '../../report/markdown.js';
import { writeFileAtomic } from '../io.js';
import { modeFlag, usageError } from '../usage.js';

export async function checkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      registry: { type: 'string', multiple: true },
      policy: { type: 'string' },
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
      sketch: { type: 'boolean' },
      full: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      'no-builtin': { type: 'boolean' },
      'max-candidates': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
    },
  });
  if (positionals.length === 0)
    throw usageError('check takes at least one model: check <model> [--registry dir|url]... [--policy file]');
  if (values.json && values.markdown) throw usageError('choose one of --json and --markdown');
  const flag = modeFlag(values);
  const mode = flag === 'sample' ? 'sketch' : flag;
  const max = values['max-candidates'] !== undefined ? Number(values['max-candidates']) : undefined;
  if (max !== undefined && (!Number.isInteger(max) || max < 1))
    throw usageError('--max-candidates takes a positive whole number');
  // without --policy: .github/weightprint.yml (or .yaml) in the working directory, as the Action and the App read it
  const policyPath = values.policy ?? DEFAULT_POLICY_FILES.find((f) => existsSync(f));
  const policy = policyPath ? await loadPolicy(policyPath) : DEFAULT_POLICY;

  const engine = createEngine();
  const results = await engine.runCheck({
    models: positionals,
    registries: values.registry ?? [],
    policy,
    mode,
    noBuiltin: values['no-builtin'],
    maxCandidates: max,
    onProgress: values.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
  });

  const text = values.json
    ? JSON.stringify(checkReport(results), null, 2)
    : values.markdown
      ? engine.renderMarkdown(results)
      : checkSummary(results);
  if (values.output) await writeFileAtomic(values.output, `${text}\n`);
  process.stdout.write(`${text}\n`);
  return policy.exitCodes[worstPolicy(results)];
}

/** Terminal summary: verdict, policy outcome with reasons, grades, top matches. */
export function checkSummary(results: CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.model}: ${r.verdict} · policy ${r.policy.result}`);
    const f = r.fingerprint;
    if (f)
      lines.push(
        `  ${f.mode === 'full' ? 'full fingerprint' : 'sketch'} (${f.why}): ` +
          `read ${formatBytes(f.bytesRead)} of ${formatBytes(f.totalBytes)}` +
          (f.verified ? `; verified: ${f.verified}` : ''),
      );
    for (const reason of r.policy.reasons) lines.push(`  ${reason}`);
    for (const e of r.registry?.errors ?? []) lines.push(`  registry error  ${e.entry}: ${e.reason}`);
    for (const [component, grade] of Object.entries(r.policy.grades ?? {}))
      lines.push(`  grade  ${component}: ${grade}`);
    if (!r.matches.length)
      lines.push('  no registry entry shares comparable weights, tokenizer or config with this model');
    for (const m of r.matches.slice(0, 8)) lines.push(`  ${m.verdict.padEnd(12)} ${m.entry}  ${m.reason}`);
  }
  return lines.map(plainText).join('\n');
}
