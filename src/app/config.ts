/**
 * The App's settings, all from the environment. Every setting is checked up front so a bad
 * deployment fails at start-up with one line naming the variable, not at the first webhook.
 */
import { CHECK_MODES, type CheckMode } from '../check/run.js';
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { ON_ERROR_VALUES, type OnError } from './model-errors.js';

export interface AppConfig {
  appId: number;
  /** PEM, PKCS#1 or PKCS#8 (both are what GitHub hands out / converts to). */
  privateKey: string;
  /** WEBHOOK_SECRET split on commas: any one verifies, so a secret can be rotated without downtime. */
  webhookSecrets: string[];
  /** Undefined: the Hugging Face endpoint is disabled (404). */
  hfWebhookSecret?: string;
  port: number;
  /** HOST: interface to listen on (default 127.0.0.1, for a reverse proxy on the same host). */
  host: string;
  dbPath: string;
  githubApiUrl: string;
  registries: string[];
  policy?: string;
  /** Where Hub-webhook results are posted as issues; undefined: dashboard only. */
  hfResultsRepo?: { owner: string; repo: string };
  concurrency: number;
  /** PUBLIC_URL: where people reach this server; check runs and issues link to its report pages. */
  publicUrl?: string;
  /** DASHBOARD_TOKEN: the dashboard and report pages need it; unset, they are off. */
  dashboardToken?: string;
  /** WEIGHTPRINT_ON_ERROR: the check's conclusion when a model cannot be analysed (default failure). */
  onError: OnError;
  /** WEIGHTPRINT_MODE: how models are read when a repository's manifest has no `mode:` (default auto). */
  mode?: CheckMode;
  /**
   * WEIGHTPRINT_MAX_MODELS: weights sets one check analyses at most (default 200). A commit with
   * more fails its check rather than hold the queue for hours (a pull request of thousands of tiny models).
   */
  maxModels?: number;
  /**
   * WEIGHTPRINT_JOB_TIMEOUT: seconds one check may take to find, read and analyse its models
   * (default 1800); past it the check fails ("timed out after N s") and the queue moves on.
   */
  jobTimeoutSeconds?: number;
}

/** One bad or missing setting. `message` is the whole line the user sees. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly setting: string,
    readonly problem: string,
  ) {
    super(`${setting}: ${problem}`);
  }
}

interface LoadConfigDeps {
  readFile?: (path: string) => string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, deps: LoadConfigDeps = {}): AppConfig {
  const readFile = deps.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const appIdText = get('APP_ID');
  if (appIdText === undefined)
    throw new ConfigError('APP_ID', 'is not set (the numeric App ID from the App settings page)');
  if (!/^\d+$/.test(appIdText) || Number(appIdText) <= 0 || !Number.isSafeInteger(Number(appIdText)))
    throw new ConfigError('APP_ID', `must be a positive integer, got ${JSON.stringify(appIdText)}`);

  const privateKey = loadPrivateKey(env, readFile);

  const secretText = env.WEBHOOK_SECRET;
  if (secretText === undefined || secretText.trim() === '')
    throw new ConfigError('WEBHOOK_SECRET', 'is not set (the webhook secret from the App settings page)');
  const webhookSecrets = secretText.split(',').map((s) => s.trim());
  if (webhookSecrets.some((s) => s === ''))
    throw new ConfigError('WEBHOOK_SECRET', 'has an empty entry (comma-separated list, one secret per entry)');

  const hfWebhookSecret = get('HF_WEBHOOK_SECRET');

  const port = intSetting('PORT', get('PORT'), 3000, 0, 65535);
  const concurrency = intSetting('CONCURRENCY', get('CONCURRENCY'), 2, 1, 64);

  const githubApiUrl = (get('GITHUB_API_URL') ?? 'https://api.github.com').replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(githubApiUrl);
  } catch {
    throw new ConfigError('GITHUB_API_URL', `is not a URL: ${JSON.stringify(githubApiUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError('GITHUB_API_URL', `must be http(s), got ${url.protocol}`);

  const registries = (get('WEIGHTPRINT_REGISTRY') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

  let hfResultsRepo: AppConfig['hfResultsRepo'];
  const hfRepo = get('HF_RESULTS_REPO');
  if (hfRepo !== undefined) {
    const m = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(hfRepo);
    if (!m) throw new ConfigError('HF_RESULTS_REPO', `must be owner/repo, got ${JSON.stringify(hfRepo)}`);
    hfResultsRepo = { owner: m[1]!, repo: m[2]! };
  }

  const publicUrl = get('PUBLIC_URL')?.replace(/\/+$/, '');
  if (publicUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(publicUrl))
    throw new ConfigError('PUBLIC_URL', `must be an http(s) URL, got ${JSON.stringify(publicUrl)}`);

  const dashboardToken = get('DASHBOARD_TOKEN');
  if (dashboardToken !== undefined && dashboardToken.length < 16)
    throw new ConfigError('DASHBOARD_TOKEN', 'must be at least 16 characters (e.g. openssl rand -hex 32)');

  const onErrorText = get('WEIGHTPRINT_ON_ERROR') ?? 'failure';
  if (!(ON_ERROR_VALUES as readonly string[]).includes(onErrorText))
    throw new ConfigError(
      'WEIGHTPRINT_ON_ERROR',
      `must be one of ${ON_ERROR_VALUES.join(', ')}, got ${JSON.stringify(onErrorText)}`,
    );

  const mode = get('WEIGHTPRINT_MODE');
  if (mode !== undefined && !(CHECK_MODES as readonly string[]).includes(mode))
    throw new ConfigError('WEIGHTPRINT_MODE', `must be one of ${CHECK_MODES.join(', ')}, got ${JSON.stringify(mode)}`);

  const maxModelsText = get('WEIGHTPRINT_MAX_MODELS');
  const maxModels = maxModelsText === undefined ? undefined : Number(maxModelsText);
  if (maxModels !== undefined && !(Number.isSafeInteger(maxModels) && maxModels > 0))
    throw new ConfigError(
      'WEIGHTPRINT_MAX_MODELS',
      `must be a positive whole number, got ${JSON.stringify(maxModelsText)}`,
    );

  const timeoutText = get('WEIGHTPRINT_JOB_TIMEOUT');
  const jobTimeoutSeconds = timeoutText === undefined ? undefined : Number(timeoutText);
  if (jobTimeoutSeconds !== undefined && !(Number.isFinite(jobTimeoutSeconds) && jobTimeoutSeconds > 0))
    throw new ConfigError(
      'WEIGHTPRINT_JOB_TIMEOUT',
      `must be a positive number of seconds, got ${JSON.stringify(timeoutText)}`,
    );

  return {
    appId: Number(appIdText),
    privateKey,
    webhookSecrets,
    hfWebhookSecret,
    port,
    host: get('HOST') ?? '127.0.0.1',
    dbPath: get('WEIGHTPRINT_DB') ?? './weightprint.db',
    githubApiUrl,
    registries,
    policy: get('WEIGHTPRINT_POLICY'),
    hfResultsRepo,
    concurrency,
    publicUrl,
    onError: onErrorText as OnError,
    ...(mode !== undefined ? { mode: mode as CheckMode } : {}),
    ...(maxModels !== undefined ? { maxModels } : {}),
    ...(jobTimeoutSeconds !== undefined ? { jobTimeoutSeconds } : {}),
    dashboardToken,
  };
}

function loadPrivateKey(env: NodeJS.ProcessEnv, readFile: (p: string) => string): string {
  const inline = env.PRIVATE_KEY?.trim();
  const path = env.PRIVATE_KEY_PATH?.trim();
  let pem: string;
  let setting: string;
  if (inline) {
    setting = 'PRIVATE_KEY';
    // Env files and secret stores often flatten newlines to a literal "\n".
    pem = inline.includes('\\n') && !inline.includes('\n') ? inline.replace(/\\n/g, '\n') : inline;
  } else if (path) {
    setting = 'PRIVATE_KEY_PATH';
    try {
      pem = readFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConfigError('PRIVATE_KEY_PATH', `cannot read ${path}: ${code ?? String(err)}`);
    }
  } else {
    throw new ConfigError('PRIVATE_KEY', 'is not set (set PRIVATE_KEY to the PEM, or PRIVATE_KEY_PATH to its file)');
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`${key.asymmetricKeyType} key`);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ConfigError(setting, `is not an RSA private key in PEM form (${why})`);
  }
  return pem;
}

function intSetting(name: string, text: string | undefined, dflt: number, min: number, max: number): number {
  if (text === undefined) return dflt;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}
