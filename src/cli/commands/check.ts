/**
 * `weightprint check <model>... [--registry dir|url]... [--policy file] [--json|--markdown] [--sketch|--full]
 * [-o file] [--challenge auto|off|N] [--challenge-seed S]`
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
import { parseChallengeSetting } from '../../policy/types.js';
import { formatZ, pClause } from '../../util/numbers.js';

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
      challenge: { type: 'string' },
      'challenge-seed': { type: 'string' },
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
  const challenge = values.challenge !== undefined ? parseChallengeSetting(values.challenge) : undefined;
  if (values.challenge !== undefined && challenge === undefined)
    throw usageError('--challenge takes auto, off or a number of entries (0 to 1000)');
  const seedText = values['challenge-seed'];
  const challengeSeed = seedText !== undefined ? Number(seedText) : undefined;
  if (challengeSeed !== undefined && !(/^\d+$/.test(seedText!) && challengeSeed < 2 ** 32))
    throw usageError('--challenge-seed takes the seed a report recorded (a whole number below 2^32)');
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
    challenge,
    challengeSeed,
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
    lines.push(...challengeSummary(r.challenge));
    for (const [component, grade] of Object.entries(r.policy.grades ?? {}))
      lines.push(`  grade  ${component}: ${grade}`);
    if (!r.matches.length)
      lines.push('  no registry entry shares comparable weights, tokenizer or config with this model');
    for (const m of r.matches.slice(0, 8)) lines.push(`  ${m.verdict.padEnd(12)} ${m.entry}  ${m.reason}`);
  }
  return lines.map(plainText).join('\n');
}

/** The challenge sample in the terminal summary: what was re-read at the private seed, and what was not. */
function challengeSummary(c: CheckResult['challenge']): string[] {
  if (!c?.entries.length) return [];
  const read = c.entries.filter((e) => e.status === 'challenged').length;
  const lines = [
    `  challenge (${c.setting}): ${read} of ${c.entries.length} aligned entries read again at a private seed` +
      (c.seed !== undefined ? ` (seed ${c.seed}, ${c.k} values per tensor)` : ''),
  ];
  for (const e of c.entries) {
    const what =
      e.status === 'challenged'
        ? `published ${e.published}, private ${e.private ?? e.verdict}` +
          (e.privateResemblance ? ` (${e.privateResemblance} resemblance the published sample lacked)` : '') +
          ` -> ${e.verdict}` +
          (e.privateStatistic
            ? `; private: ${e.privateStatistic.component} z ${formatZ(e.privateStatistic.z)}, ` +
              `${pClause(e.privateStatistic.p)}`
            : '') +
          (e.discrepancy
            ? `; published vs private gap z ${formatZ(e.discrepancy.medianGap)} over ${e.discrepancy.pairs} ` +
              `tensor pairs (${pClause(e.discrepancy.p, true)})`
            : '') +
          (e.rewritten?.length ? `; published coordinates REWRITTEN in ${e.rewritten.join(', ')}` : '')
        : `${e.status === 'failed' ? 'failed: ' : ''}${e.why ?? e.status}`;
    lines.push(`    ${e.entry}: ${what}`);
  }
  return lines;
}
