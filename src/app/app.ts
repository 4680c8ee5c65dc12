/**
 * Assembles the App from its parts: config → store → queue → server. main.ts calls this with the
 * real analysis and publisher; tests call it with their own to run jobs end to end.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ConfigError, type AppConfig } from './config.js';
import { createGitHubAuth, type GitHubAuth } from '../github/app-auth.js';
import { createProcessor, RunningPullJobs, type Analyse, type Publisher } from './processor.js';
import { Queue, type QueueLog } from './queue.js';
import type { LfsAccess } from '../net/lfs.js';
import { BodyBudget, createAppServer } from './server.js';
import { Store } from './store.js';

interface AppOverrides {
  analyse?: Analyse;
  publisher?: Publisher;
  auth?: Pick<GitHubAuth, 'installation' | 'installationForRepo' | 'botLogin'>;
  /** Used for GitHub REST and LFS requests. */
  fetch?: typeof globalThis.fetch;
  /** Retry settings of LFS reads (tests shorten the backoff). */
  lfsHttp?: LfsAccess['http'];
  /** ms per retry-after second (GitHub client) — tests lower it. */
  retryAfterBaseValue?: number;
  queueBackoffMs?: (attempt: number) => number;
  maxAttempts?: number;
  maxBodyBytes?: number;
  /** Budget of unverified request bodies in flight (tests lower it). */
  bodyBudget?: BodyBudget;
  host?: string;
  log?: QueueLog;
}

export interface RunningApp {
  server: Server;
  store: Store;
  queue: Queue;
  url: string;
  /** Unverified request bodies being read right now, and their bytes. */
  bodies: BodyBudget;
  /** Stops accepting requests, lets running jobs finish (up to graceMs), closes the DB. */
  close(graceMs?: number): Promise<void>;
}

export async function startApp(config: AppConfig, o: AppOverrides = {}): Promise<RunningApp> {
  const log: QueueLog = o.log ?? {
    info: (m) => console.log(`weightprint-app: ${m}`),
    warn: (m) => console.warn(`weightprint-app: ${m}`),
    error: (m) => console.error(`weightprint-app: ${m}`),
  };
  let store: Store;
  try {
    store = new Store(config.dbPath);
  } catch (err) {
    throw new ConfigError('WEIGHTPRINT_DB', `cannot open ${config.dbPath}: ${(err as Error).message.split('\n')[0]}`);
  }
  const auth =
    o.auth ??
    createGitHubAuth({
      appId: config.appId,
      privateKey: config.privateKey,
      baseUrl: config.githubApiUrl,
      fetch: o.fetch,
      retryAfterBaseValue: o.retryAfterBaseValue,
      // Octokit's warnings and errors both go to the log's warnings: the job reports the failure.
      log: { warn: log.warn, error: log.warn },
    });
  // One temp root per database (one instance per database): model copies a crash left behind
  // are removed here, while no job can be using them.
  const tmpRoot = join(
    tmpdir(),
    `weightprint-app-${createHash('sha256').update(resolve(config.dbPath)).digest('hex').slice(0, 12)}`,
  );
  rmSync(tmpRoot, { recursive: true, force: true });
  mkdirSync(tmpRoot, { recursive: true });
  const analyse = o.analyse ?? (await import('./analysis.js')).defaultAnalyse;
  const publisher = o.publisher ?? (await import('./publisher.js')).githubPublisher;
  const running = new RunningPullJobs();
  const queue = new Queue({
    store,
    concurrency: config.concurrency,
    maxAttempts: o.maxAttempts,
    backoffMs: o.queueBackoffMs,
    log,
    process: createProcessor({
      store,
      auth,
      analyse,
      publisher,
      registries: config.registries,
      policy: config.policy,
      hfResultsRepo: config.hfResultsRepo,
      publicUrl: config.publicUrl,
      githubApiUrl: config.githubApiUrl,
      maxAttempts: o.maxAttempts,
      tmpRoot,
      onError: config.onError,
      mode: config.mode,
      maxModels: config.maxModels,
      jobTimeoutSeconds: config.jobTimeoutSeconds,
      fetch: o.fetch,
      lfsHttp: o.lfsHttp,
      log,
      running,
    }),
  });
  const bodies = o.bodyBudget ?? new BodyBudget();
  const server = createAppServer({
    bodyBudget: bodies,
    store,
    queue,
    // a new head of a pull request stops the running check of its previous head
    onQueued: (jobs) => {
      for (const j of jobs) running.supersede(j.payload);
    },
    webhookSecrets: config.webhookSecrets,
    hfWebhookSecret: config.hfWebhookSecret,
    maxBodyBytes: o.maxBodyBytes,
    dashboardToken: config.dashboardToken,
    secureCookies: config.publicUrl?.startsWith('https://') ?? false,
    log,
  });
  const listenHost = o.host ?? config.host;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, listenHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    store.close();
    rmSync(tmpRoot, { recursive: true, force: true });
    throw new ConfigError(
      'PORT',
      `cannot listen on ${listenHost}:${config.port}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  queue.start();
  const addr = server.address() as AddressInfo;
  const url = `http://${listenHost === '0.0.0.0' || listenHost === '::' ? '127.0.0.1' : listenHost}:${addr.port}`;

  let closing: Promise<void> | undefined;
  const close = (graceMs = 25_000) =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      const finished = await queue.stop(graceMs);
      if (!finished) log.warn('jobs still running at shutdown; they will be re-queued on the next start');
      else rmSync(tmpRoot, { recursive: true, force: true });
      store.close();
    })());
  return { server, store, queue, url, bodies, close };
}
