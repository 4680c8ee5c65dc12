/**
 * Reads and validates a policy file (`.github/weightprint.yml`). Every problem is one InputError
 * line naming the file and the key, because a typo in a policy must not silently weaken it.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { parse } from 'yaml';
import { InputError } from '../errors.js';
import { HttpClient, redact, type HttpClientOptions } from '../net/http.js';
import { PRESETS } from './tclass.js';
import {
  CATEGORIES,
  GRADE_FIELDS,
  type AllowRule,
  type Category,
  type Condition,
  type GradeRule,
  type GradeScale,
  type Policy,
  type Scalar,
  parseChallengeSetting,
} from './types.js';

export const DEFAULT_POLICY: Policy = {
  source: '(default policy)',
  minConfidence: 0.99,
  failOn: ['derived-undeclared', 'identical-undeclared'],
  warnOn: ['derived-declared', 'identical-declared', 'declared-unsupported', 'tokenizer-reuse'],
  allow: [],
  exitCodes: { pass: 0, warn: 0, fail: 1 },
  registryErrors: 'fail',
};

// `models:` and `mode:` are what and how the App checks; the same file serves as the policy, so they are accepted here
const TOP_KEYS = [
  'version',
  'min-confidence',
  'fail-on',
  'warn-on',
  'allow',
  'exit-codes',
  'grades',
  'registry-errors',
  'on-inconclusive',
  'on-resemblance',
  'on-opaque',
  'shared-init',
  'challenge',
  'on-unchallenged',
  'models',
  'mode',
];

/**
 * Where a repository keeps its policy (and the App its manifest): the Action's default `policy`
 * and the App read the same names, first found wins.
 */
export const DEFAULT_POLICY_FILES: readonly string[] = ['.github/weightprint.yml', '.github/weightprint.yaml'];

/** A policy is a few KB of YAML; anything near this is not one (and must not fill memory). */
export const MAX_POLICY_BYTES = 1024 * 1024;

interface PolicyLoadOptions {
  /** For policies given as URLs (the same client as registries). */
  fetch?: typeof fetch;
  http?: Omit<HttpClientOptions, 'fetch'>;
}

/**
 * A policy file, or an `https://` URL (a consortium's shared policy), optionally pinned by
 * `#sha256=<hex>` of its bytes. Plain `http://` is accepted only with a pin or on loopback.
 */
export async function loadPolicy(location: string, opts: PolicyLoadOptions = {}): Promise<Policy> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return loadRemotePolicy(location, opts);
  return parsePolicy(decodePolicy(await readLocalPolicy(location), location), location);
}

async function readLocalPolicy(path: string): Promise<Uint8Array> {
  const fail = (err: unknown) => {
    const code = errnoCode(err);
    return new InputError(path, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`);
  };
  const handle = await open(path, 'r').catch((err: unknown) => {
    throw fail(err);
  });
  try {
    const st = await handle.stat();
    // a FIFO or device (a symlink to /dev/zero) never ends; a huge file is not a policy
    if (!st.isFile()) throw new InputError(path, 'is not a regular file');
    if (st.size > MAX_POLICY_BYTES)
      throw new InputError(path, `is ${st.size} bytes, more than the ${MAX_POLICY_BYTES} a policy may have`);
    const buf = new Uint8Array(st.size);
    let filled = 0;
    while (filled < st.size) {
      const { bytesRead } = await handle.read(buf, filled, st.size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  } catch (err) {
    throw err instanceof InputError ? err : fail(err);
  } finally {
    await handle.close().catch(() => {});
  }
}

async function loadRemotePolicy(location: string, opts: PolicyLoadOptions): Promise<Policy> {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new InputError(redact(location), 'not a valid URL');
  }
  const hash = url.hash;
  url.hash = '';
  const shown = redact(url.toString());
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InputError(shown, `policy URLs must be https:// (got ${url.protocol})`);
  let pin: string | undefined;
  if (hash) {
    const m = /^#sha256=([0-9a-fA-F]{64})$/.exec(hash);
    if (!m) throw new InputError(shown, 'the only URL fragment a policy takes is #sha256=<64 hex digits>');
    pin = m[1]!.toLowerCase();
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !pin && !loopback)
    throw new InputError(
      shown,
      'a policy over plain http:// can be altered in transit: use https:// or pin it with #sha256=<hex>',
    );
  const client = new HttpClient({ ...opts.http, fetch: opts.fetch });
  const r = await client.request(url.toString(), { id: shown, maxBody: MAX_POLICY_BYTES });
  if (pin) {
    const actual = createHash('sha256').update(r.body).digest('hex');
    if (actual !== pin)
      throw new InputError(
        shown,
        `SHA-256 of the policy is ${actual}, the #sha256= pin says ${pin}: refusing a policy that changed`,
      );
  }
  return parsePolicy(decodePolicy(r.body, shown), shown);
}

function decodePolicy(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(source, 'is not UTF-8 text');
  }
}

export function parsePolicy(text: string, source: string): Policy {
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: true });
  } catch (err) {
    throw new InputError(
      source,
      `not valid YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`,
    );
  }
  if (doc === null || doc === undefined) return { ...DEFAULT_POLICY, source };
  const fail = (key: string, problem: string) => new InputError(source, `${key}: ${problem}`);
  if (!isRecord(doc))
    throw new InputError(
      source,
      'a policy must be a mapping of keys (min-confidence, fail-on, warn-on, allow, exit-codes, grades)',
    );
  for (const k of Object.keys(doc))
    if (!TOP_KEYS.includes(k)) throw fail(k, `unknown key (known: ${TOP_KEYS.join(', ')})`);
  if (doc.version !== undefined && doc.version !== 1) throw fail('version', 'only version 1 is defined');
  // `models:` and `mode:` belong to the App's manifest (the same file); checked here so a typo fails either way
  if (doc.mode !== undefined && !['auto', 'sketch', 'full'].includes(doc.mode as string))
    throw fail('mode', 'must be one of auto, sketch, full');

  const policy: Policy = { ...DEFAULT_POLICY, source, allow: [] };
  if (doc['min-confidence'] !== undefined) {
    const v = doc['min-confidence'];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw fail('min-confidence', 'must be a number from 0 to 1');
    policy.minConfidence = v;
  }
  if (doc['fail-on'] !== undefined) policy.failOn = categories(doc['fail-on'], 'fail-on', fail);
  if (doc['warn-on'] !== undefined) policy.warnOn = categories(doc['warn-on'], 'warn-on', fail);
  if (doc.allow !== undefined) policy.allow = allowRules(doc.allow, fail);
  if (doc['exit-codes'] !== undefined) policy.exitCodes = exitCodes(doc['exit-codes'], fail);
  if (doc.grades !== undefined) policy.grades = gradeScale(doc.grades, fail);
  if (doc['on-inconclusive'] !== undefined) {
    const v = doc['on-inconclusive'];
    if (v !== 'pass' && v !== 'warn' && v !== 'fail') throw fail('on-inconclusive', 'must be pass, warn or fail');
    policy.onInconclusive = v;
  }
  for (const key of ['on-resemblance', 'shared-init', 'on-opaque'] as const) {
    const v = doc[key];
    if (v === undefined) continue;
    if (v !== 'pass' && v !== 'warn' && v !== 'fail') throw fail(key, 'must be pass, warn or fail');
    if (key === 'on-resemblance') policy.onResemblance = v;
    else if (key === 'on-opaque') policy.onOpaque = v;
    else policy.sharedInit = v;
  }
  if (doc.challenge !== undefined) {
    const v = parseChallengeSetting(doc.challenge);
    if (v === undefined) throw fail('challenge', 'must be auto, off or a number of entries (0 to 1000)');
    policy.challenge = v;
  }
  if (doc['on-unchallenged'] !== undefined) {
    const v = doc['on-unchallenged'];
    if (v !== 'pass' && v !== 'warn' && v !== 'fail') throw fail('on-unchallenged', 'must be pass, warn or fail');
    policy.onUnchallenged = v;
  }
  if (doc['registry-errors'] !== undefined) {
    const v = doc['registry-errors'];
    if (v !== 'fail' && v !== 'warn')
      throw fail('registry-errors', 'must be fail or warn (an unreadable registry entry is never ignored)');
    policy.registryErrors = v;
  }
  return policy;
}

type Fail = (key: string, problem: string) => InputError;

function categories(v: unknown, key: string, fail: Fail): Category[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list)) throw fail(key, 'must be a list of finding categories');
  return list.map((c: unknown, i) => {
    if (!isOneOf(CATEGORIES, c)) {
      throw fail(`${key}[${i}]`, `unknown category ${JSON.stringify(c)} (known: ${CATEGORIES.join(', ')})`);
    }
    return c;
  });
}

function stringList(v: unknown, key: string, fail: Fail): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || !list.every((x: unknown): x is string => typeof x === 'string' && x !== ''))
    throw fail(key, 'must be a list of non-empty strings');
  return list;
}

function allowRules(v: unknown, fail: Fail): AllowRule[] {
  if (!Array.isArray(v)) throw fail('allow', 'must be a list of rules');
  const keys = ['component', 'licenses', 'families', 'entries', 'require-declared'];
  return v.map((r, i) => {
    const at = `allow[${i}]`;
    if (!isRecord(r)) throw fail(at, 'must be a mapping');
    for (const k of Object.keys(r))
      if (!keys.includes(k)) throw fail(`${at}.${k}`, `unknown key (known: ${keys.join(', ')})`);
    const rule: AllowRule = { requireDeclared: true };
    if (r.component !== undefined) {
      if (typeof r.component !== 'string' || !r.component)
        throw fail(`${at}.component`, 'must be a component name or kind');
      rule.component = r.component;
    }
    if (r.licenses !== undefined) rule.licenses = stringList(r.licenses, `${at}.licenses`, fail);
    if (r.families !== undefined) rule.families = stringList(r.families, `${at}.families`, fail);
    if (r.entries !== undefined) rule.entries = stringList(r.entries, `${at}.entries`, fail);
    if (r['require-declared'] !== undefined) {
      if (typeof r['require-declared'] !== 'boolean') throw fail(`${at}.require-declared`, 'must be true or false');
      rule.requireDeclared = r['require-declared'];
    }
    return rule;
  });
}

function exitCodes(v: unknown, fail: Fail): Policy['exitCodes'] {
  if (!isRecord(v)) throw fail('exit-codes', 'must map pass, warn and fail to exit codes');
  const out = { ...DEFAULT_POLICY.exitCodes };
  for (const [k, code] of Object.entries(v)) {
    if (k === 'bad-input' || k === 'error') throw fail(`exit-codes.${k}`, 'bad input always exits 2');
    if (!isOneOf(RESULTS, k)) throw fail(`exit-codes.${k}`, 'unknown key (known: pass, warn, fail)');
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 125 || code === 2) {
      throw fail(`exit-codes.${k}`, 'must be an integer from 0 to 125 other than 2 (reserved for bad input)');
    }
    out[k] = code;
  }
  return out;
}

function gradeScale(v: unknown, fail: Fail): GradeScale {
  if (typeof v === 'string') v = { preset: v };
  if (!isRecord(v)) throw fail('grades', 'must be a preset name or a mapping with name and rules');
  for (const k of Object.keys(v))
    if (!['preset', 'name', 'rules'].includes(k)) throw fail(`grades.${k}`, 'unknown key (known: preset, name, rules)');
  if (v.preset !== undefined) {
    if (v.rules !== undefined) throw fail('grades', 'give either preset or rules, not both');
    const preset = typeof v.preset === 'string' ? PRESETS[v.preset.toLowerCase()] : undefined;
    if (!preset)
      throw fail(
        'grades.preset',
        `unknown preset ${JSON.stringify(v.preset)} (known: ${Object.keys(PRESETS).join(', ')})`,
      );
    return preset;
  }
  if (typeof v.name !== 'string' || !v.name) throw fail('grades.name', 'must name the scale');
  if (!Array.isArray(v.rules) || v.rules.length === 0) throw fail('grades.rules', 'must be a non-empty list');
  return { name: v.name, rules: v.rules.map((r, i) => gradeRule(r, `grades.rules[${i}]`, fail)) };
}

function gradeRule(r: unknown, at: string, fail: Fail): GradeRule {
  if (!isRecord(r)) throw fail(at, 'must be a mapping with grade and when');
  for (const k of Object.keys(r))
    if (!['grade', 'label', 'when'].includes(k)) throw fail(`${at}.${k}`, 'unknown key (known: grade, label, when)');
  if (typeof r.grade !== 'string' || !r.grade) throw fail(`${at}.grade`, 'must be a non-empty string');
  if (r.label !== undefined && typeof r.label !== 'string') throw fail(`${at}.label`, 'must be a string');
  const when = r.when ?? {};
  if (!isRecord(when)) throw fail(`${at}.when`, 'must be a mapping of field: condition');
  const conds: GradeRule['when'] = {};
  for (const [field, spec] of Object.entries(when)) {
    if (!isOneOf(GRADE_FIELDS, field))
      throw fail(`${at}.when.${field}`, `unknown field (known: ${GRADE_FIELDS.join(', ')})`);
    conds[field] = condition(spec, `${at}.when.${field}`, fail);
  }
  const label = typeof r.label === 'string' && r.label ? r.label : undefined;
  return { grade: r.grade, ...(label ? { label } : {}), when: conds };
}

const OP_RE = /^\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$/;
const OPS = ['<=', '>=', '==', '!=', '<', '>'] as const;

function condition(spec: unknown, at: string, fail: Fail): Condition {
  const scalar = (x: unknown): x is Scalar => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
  if (Array.isArray(spec)) {
    if (!spec.length || !spec.every(scalar)) throw fail(at, 'a list must hold strings, numbers or booleans');
    return { op: 'in', values: spec };
  }
  if (typeof spec === 'string') {
    const m = OP_RE.exec(spec);
    const op = m?.[1];
    if (m && isOneOf(OPS, op)) {
      const raw = m[2]!;
      const value: Scalar = /^-?\d+(\.\d+)?$/.test(raw)
        ? Number(raw)
        : raw === 'true'
          ? true
          : raw === 'false'
            ? false
            : raw;
      if (op !== '==' && op !== '!=' && typeof value !== 'number')
        throw fail(at, `${op} needs a number, got ${JSON.stringify(raw)}`);
      return { op, value };
    }
    return { op: '==', value: spec };
  }
  if (scalar(spec)) return { op: '==', value: spec };
  throw fail(at, 'must be a value, a list of values, or a comparison such as ">= 0.8"');
}

const RESULTS = ['pass', 'warn', 'fail'] as const;

function isOneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return list.some((x) => x === v);
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
