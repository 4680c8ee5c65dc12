/**
 * Bounded-concurrency workers over the jobs table. The database is the queue: a job is claimed
 * by one atomic UPDATE, finished in one transaction with its results, and anything a crash
 * leaves 'running' is re-queued by the next start (Store.recoverRunning).
 */
import type { JobRow, NewResult, Store } from './store.js';

export interface JobOutcome {
  /** One line for the dashboard, e.g. "2 models, conclusion failure" or "no models referenced". */
  summary: string;
  conclusion?: string;
  detailsUrl?: string;
  results?: NewResult[];
}

type JobProcessor = (job: JobRow) => Promise<JobOutcome>;

export interface QueueLog {
  info: (m: string) => void;
  warn: (m: string) => void;
  error: (m: string) => void;
}

interface QueueOptions {
  store: Store;
  process: JobProcessor;
  concurrency: number;
  /** Attempts before a transiently failing job is marked failed (default 5). */
  maxAttempts?: number;
  /** Delay before retry n (1-based); default 2s, 4s, 8s… capped at 5 min. */
  backoffMs?: (attempt: number) => number;
  /** How often an idle queue looks for due jobs even without a notify() (default 1s). */
  pollMs?: number;
  log?: QueueLog;
}

/** Throw this (or let an HTTP 5xx/429/network error through) to have the job retried later. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Worth retrying: the same request may well succeed later (server fault, rate limit, network). */
export function isTransient(err: unknown): boolean {
  if (err instanceof TransientError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as {
    status?: unknown;
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    name?: unknown;
    causes?: unknown;
  };
  // publishReport's PublishError carries the underlying request errors.
  if (Array.isArray(e.causes) && e.causes.some((c) => c !== err && isTransient(c))) return true;
  if (typeof e.status === 'number') {
    if (e.status === 408 || e.status === 429 || e.status >= 500) return true;
    // 403 is transient only when GitHub says it is a rate limit; otherwise it is a permission problem.
    if (e.status === 403) return typeof e.message === 'string' && /rate limit|abuse/i.test(e.message);
    return false;
  }
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
  if (e.cause !== undefined && e.cause !== err) return isTransient(e.cause);
  return false;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}

export class Queue {
  private readonly store: Store;
  private readonly processFn: JobProcessor;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly pollMs: number;
  private readonly log: QueueLog;
  private readonly active = new Map<number, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(opts: QueueOptions) {
    this.store = opts.store;
    this.processFn = opts.process;
    this.concurrency = Math.max(1, opts.concurrency);
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.backoffMs = opts.backoffMs ?? ((n) => Math.min(2000 * 2 ** (n - 1), 300_000));
    this.pollMs = opts.pollMs ?? 1000;
    this.log = opts.log ?? { info: () => {}, warn: (m) => console.warn(m), error: (m) => console.error(m) };
  }

  get maxJobAttempts(): number {
    return this.maxAttempts;
  }

  /** Re-queues what a crash left running, then starts pulling. */
  start(): { requeued: number; failed: number } {
    const recovered = this.store.recoverRunning(this.maxAttempts);
    if (recovered.requeued || recovered.failed)
      this.log.info(
        'recovered jobs left running by a previous process: ' +
          `${recovered.requeued} re-queued, ${recovered.failed} failed`,
      );
    this.running = true;
    this.pump();
    return recovered;
  }

  /** A job was enqueued: look now rather than at the next poll. */
  notify(): void {
    if (this.running) setImmediate(() => this.pump());
  }

  get inFlight(): number {
    return this.active.size;
  }

  /**
   * Stops claiming and waits up to graceMs for running jobs. Jobs still running after that stay
   * 'running' in the database and are re-queued by the next start.
   */
  async stop(graceMs = 25_000): Promise<boolean> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.active.size === 0) return true;
    let timeout: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled([...this.active.values()]).then(() => true),
      new Promise<boolean>((resolve) => {
        timeout = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    if (timeout) clearTimeout(timeout);
    return finished;
  }

  /** Waits until nothing is queued-and-due or running (tests, drain on shutdown). */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = this.store.counts();
      if (c.queued === 0 && c.running === 0 && this.active.size === 0) return;
      if (Date.now() > deadline) throw new Error(`queue not idle after ${timeoutMs} ms: ${JSON.stringify(c)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private pump(): void {
    if (!this.running) return;
    while (this.active.size < this.concurrency) {
      let job: JobRow | undefined;
      try {
        job = this.store.claimNext();
      } catch (err) {
        this.log.error(`cannot claim a job: ${errorText(err)}`);
        break;
      }
      if (!job) break;
      const id = job.id;
      const p = this.runJob(job).finally(() => {
        this.active.delete(id);
        this.pump();
      });
      this.active.set(id, p);
    }
    this.schedule();
  }

  private schedule(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.store.nextRunAfter();
    const wait = next === undefined ? this.pollMs : Math.max(0, Math.min(this.pollMs, next - Date.now()));
    this.timer = setTimeout(() => this.pump(), wait);
    this.timer.unref();
  }

  private async runJob(job: JobRow): Promise<void> {
    const label = `job ${job.id} (${job.kind}, attempt ${job.attempts})`;
    try {
      const outcome = await this.processFn(job);
      this.store.completeJob(job.id, outcome);
      this.log.info(`${label}: done — ${outcome.summary}`);
    } catch (err) {
      const why = errorText(err);
      try {
        if (isTransient(err) && job.attempts < this.maxAttempts) {
          const delay = this.backoffMs(job.attempts);
          this.store.retryLater(job.id, Date.now() + delay, why);
          this.log.warn(`${label}: ${why}; retrying in ${Math.round(delay / 1000)}s`);
        } else {
          this.store.failJob(job.id, why);
          this.log.error(`${label}: failed — ${why}`);
        }
      } catch (dbErr) {
        // The database itself is failing; the job stays 'running' and the next start re-queues it.
        this.log.error(`${label}: cannot record the outcome (${errorText(dbErr)}); original error: ${why}`);
      }
    }
  }
}
