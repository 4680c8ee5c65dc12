/**
 * The App's state in one SQLite file: webhook deliveries (so a redelivery is processed once),
 * the job queue (so a restart loses nothing), per-model results and the watched repos.
 * better-sqlite3 is synchronous, which makes "claim the next job" a single atomic statement.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JobPayload } from './types.js';

type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobRow {
  id: number;
  kind: JobPayload['kind'];
  status: JobStatus;
  attempts: number;
  payload: JobPayload;
  dedupeKey: string | null;
  deliveryId: string | null;
  lastError: string | null;
  /** JSON the processor saved mid-job (analysis output), reused by a retry. */
  checkpoint: unknown;
  summary: string | null;
  conclusion: string | null;
  detailsUrl: string | null;
  createdAt: number;
  updatedAt: number;
  runAfter: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface ResultRow {
  id: number;
  jobId: number;
  /** `owner/repo` for GitHub jobs, `hf` for Hub-webhook jobs. */
  source: string;
  model: string;
  headSha: string | null;
  verdict: string;
  policy: string | null;
  conclusion: string | null;
  report: unknown;
  markdown: string;
  detailsUrl: string | null;
  createdAt: number;
}

export interface NewResult {
  source: string;
  model: string;
  headSha?: string;
  verdict: string;
  policy?: string;
  conclusion?: string;
  report: unknown;
  markdown: string;
  detailsUrl?: string;
}

export interface RepoRow {
  fullName: string;
  installationId: number;
  account: string | null;
  addedAt: number;
  updatedAt: number;
}

export interface NewJob {
  payload: JobPayload;
  /** Jobs with the same key coalesce while one is still queued (e.g. a burst of pushes to a PR). */
  dedupeKey?: string;
}

interface DeliveryOutcome {
  duplicate: boolean;
  jobIds: number[];
  /** A signed body seen before under another delivery id (a replay): that delivery's id. */
  replayOf?: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS deliveries (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  event TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  job_ids TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued','running','done','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  payload TEXT NOT NULL,
  dedupe_key TEXT,
  delivery_id TEXT,
  last_error TEXT,
  checkpoint TEXT,
  summary TEXT,
  conclusion TEXT,
  details_url TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  run_after INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (status, run_after, id);
CREATE INDEX IF NOT EXISTS jobs_dedupe ON jobs (dedupe_key, status);
CREATE TABLE IF NOT EXISTS results (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  source TEXT NOT NULL,
  model TEXT NOT NULL,
  head_sha TEXT,
  verdict TEXT NOT NULL,
  policy TEXT,
  conclusion TEXT,
  report_json TEXT NOT NULL,
  markdown TEXT NOT NULL,
  details_url TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (job_id, model)
);
CREATE INDEX IF NOT EXISTS results_latest ON results (source, model, id);
CREATE TABLE IF NOT EXISTS repos (
  full_name TEXT PRIMARY KEY,
  installation_id INTEGER NOT NULL,
  account TEXT,
  added_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

interface RawJob {
  id: number;
  kind: string;
  status: JobStatus;
  attempts: number;
  payload: string;
  dedupe_key: string | null;
  delivery_id: string | null;
  last_error: string | null;
  checkpoint: string | null;
  summary: string | null;
  conclusion: string | null;
  details_url: string | null;
  created_at: number;
  updated_at: number;
  run_after: number;
  started_at: number | null;
  finished_at: number | null;
}

interface RawResult {
  id: number;
  job_id: number;
  source: string;
  model: string;
  head_sha: string | null;
  verdict: string;
  policy: string | null;
  conclusion: string | null;
  report_json: string;
  markdown: string;
  details_url: string | null;
  created_at: number;
}

/** Ready jobs claimNext chooses among (the oldest ones): enough for turns, bounded per claim. */
const CLAIM_WINDOW = 1000;

/** Whose turn a job is: its repository, or Hub model (revision aside). */
function turnKey(payload: string): string {
  try {
    const p = JSON.parse(payload) as { kind?: string; owner?: string; repo?: string; model?: string };
    if (p.kind === 'github-check') return `gh:${p.owner}/${p.repo}`;
    if (p.kind === 'hf-check') return `hf:${(p.model ?? '').replace(/@.*$/, '')}`;
    return p.kind ?? '';
  } catch {
    return '';
  }
}

export class Store {
  readonly db: Database.Database;
  private readonly now: () => number;
  /** When each repository (Hub model) was last served, by claim count (claimNext takes turns). */
  private readonly turns = new Map<string, number>();
  private claims = 0;

  constructor(path: string, opts: { now?: () => number } = {}) {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // Owner-only before SQLite opens it: the -wal and -shm files SQLite creates take the
      // database file's permissions. Files an older version created are tightened too.
      closeSync(openSync(path, 'a', 0o600));
      for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) if (existsSync(f)) chmodSync(f, 0o600);
    }
    this.db = new Database(path, { timeout: 5000 });
    // WAL: the dashboard reads while workers write; NORMAL sync is durable across process crashes.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    // Added after the first release: a database from before gets the column and its index here.
    const cols = this.db.prepare<{ name: string }>('PRAGMA table_info(deliveries)').all();
    if (!cols.some((c) => c.name === 'body_sha256')) this.db.exec('ALTER TABLE deliveries ADD COLUMN body_sha256 TEXT');
    this.db.exec('CREATE UNIQUE INDEX IF NOT EXISTS deliveries_body ON deliveries (body_sha256)');
    this.now = opts.now ?? Date.now;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** True when the database answers a query (for /healthz). */
  ping(): boolean {
    try {
      return this.db.prepare<{ ok: number }>('SELECT 1 AS ok').get()?.ok === 1;
    } catch {
      return false;
    }
  }

  /**
   * Records a delivery and its jobs in one transaction: either both are stored or neither, so a
   * 202 always means the work is durable, and a second delivery with the same id adds nothing.
   */
  recordDelivery(id: string, source: string, event: string, jobs: NewJob[], bodySha256?: string): DeliveryOutcome {
    return this.db.transaction((): DeliveryOutcome => {
      const now = this.now();
      const prior = this.db.prepare<{ job_ids: string }>('SELECT job_ids FROM deliveries WHERE id = ?').get(id);
      if (prior) return { duplicate: true, jobIds: JSON.parse(prior.job_ids) as number[] };
      if (bodySha256 !== undefined) {
        // The signature covers the body only, so a captured delivery can be re-sent under a fresh
        // X-GitHub-Delivery; the same signed bytes are the same delivery.
        const same = this.db
          .prepare<{ id: string; job_ids: string }>('SELECT id, job_ids FROM deliveries WHERE body_sha256 = ?')
          .get(bodySha256);
        if (same) return { duplicate: true, jobIds: JSON.parse(same.job_ids) as number[], replayOf: same.id };
      }
      this.db
        .prepare('INSERT INTO deliveries (id, source, event, received_at, body_sha256) VALUES (?, ?, ?, ?, ?)')
        .run(id, source, event, now, bodySha256 ?? null);
      const jobIds: number[] = [];
      for (const job of jobs) jobIds.push(this.insertJob(job, id, now));
      this.db.prepare('UPDATE deliveries SET job_ids = ? WHERE id = ?').run(JSON.stringify(jobIds), id);
      return { duplicate: false, jobIds };
    })();
  }

  /** Enqueues outside a delivery (tests, admin). Coalesces with a queued job of the same key. */
  enqueue(job: NewJob): number {
    return this.db.transaction(() => this.insertJob(job, null, this.now()))();
  }

  private insertJob(job: NewJob, deliveryId: string | null, now: number): number {
    if (job.dedupeKey) {
      const same = this.db
        .prepare<{ id: number }>("SELECT id FROM jobs WHERE dedupe_key = ? AND status = 'queued' LIMIT 1")
        .get(job.dedupeKey);
      if (same) return same.id;
    }
    const r = this.db
      .prepare(
        `INSERT INTO jobs (kind, status, payload, dedupe_key, delivery_id, created_at, updated_at, run_after)
         VALUES (?, 'queued', ?, ?, ?, ?, ?, ?)`,
      )
      .run(job.payload.kind, JSON.stringify(job.payload), job.dedupeKey ?? null, deliveryId, now, now, now);
    return Number(r.lastInsertRowid);
  }

  /** Whether a GitHub check job queued after `afterId` checks `sha` as the head of PR `pr` of `owner/repo`. */
  hasLaterPullJob(afterId: number, owner: string, repo: string, pr: number, sha: string): boolean {
    const hit = this.db
      .prepare<{ one: number }>(
        `SELECT 1 AS one FROM jobs WHERE id > ? AND kind = 'github-check'
           AND json_extract(payload, '$.owner') = ? AND json_extract(payload, '$.repo') = ?
           AND json_extract(payload, '$.prNumber') = ? AND json_extract(payload, '$.headSha') = ?
         LIMIT 1`,
      )
      .get(afterId, owner, repo, pr, sha);
    return hit !== undefined;
  }

  /**
   * Atomically moves a ready job to 'running' and counts the attempt: the oldest one of the
   * repository (Hub model) served least recently, so one pull request author queueing job after job
   * (each up to the job budget) cannot keep every other repository waiting behind them.
   */
  claimNext(): JobRow | undefined {
    const now = this.now();
    return this.db.transaction((): JobRow | undefined => {
      const due = this.db
        .prepare<{ id: number; payload: string }>(
          `SELECT id, payload FROM jobs WHERE status = 'queued' AND run_after <= ? ORDER BY run_after, id LIMIT ?`,
        )
        .all(now, CLAIM_WINDOW);
      let pick: { id: number; key: string; turn: number } | undefined;
      for (const d of due) {
        const key = turnKey(d.payload);
        const turn = this.turns.get(key) ?? -1;
        if (!pick || turn < pick.turn) pick = { id: d.id, key, turn };
      }
      if (!pick) return undefined;
      const raw = this.db
        .prepare<RawJob>(
          `UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ?, updated_at = ?
           WHERE id = ? AND status = 'queued' RETURNING *`,
        )
        .get(now, now, pick.id);
      if (!raw) return undefined;
      this.turns.set(pick.key, ++this.claims);
      return toJob(raw);
    })();
  }

  /** Earliest run_after of a queued job, so an idle queue knows when to look again. */
  nextRunAfter(): number | undefined {
    const r = this.db
      .prepare<{ t: number | null }>("SELECT MIN(run_after) AS t FROM jobs WHERE status = 'queued'")
      .get();
    return r?.t ?? undefined;
  }

  /**
   * Start-up recovery: jobs a crash left 'running' go back to the queue. One that has already
   * used every attempt is failed instead, so a job that kills the process cannot loop forever.
   */
  recoverRunning(maxAttempts: number): { requeued: number; failed: number } {
    return this.db.transaction(() => {
      const now = this.now();
      const failed = this.db
        .prepare(
          `UPDATE jobs SET status = 'failed', finished_at = ?, updated_at = ?,
             last_error = COALESCE(last_error, 'interrupted ' || attempts || ' times (process stopped mid-job)')
           WHERE status = 'running' AND attempts >= ?`,
        )
        .run(now, now, maxAttempts).changes;
      const requeued = this.db
        .prepare("UPDATE jobs SET status = 'queued', run_after = ?, updated_at = ? WHERE status = 'running'")
        .run(now, now).changes;
      return { requeued, failed };
    })();
  }

  saveCheckpoint(jobId: number, checkpoint: unknown): void {
    this.db
      .prepare('UPDATE jobs SET checkpoint = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(checkpoint), this.now(), jobId);
  }

  /** Results and the job's completion land together: a crash between them cannot half-finish a job. */
  completeJob(
    jobId: number,
    outcome: { summary: string; conclusion?: string; detailsUrl?: string; results?: NewResult[] },
  ): void {
    this.db.transaction(() => {
      const now = this.now();
      const ins = this.db.prepare(
        `INSERT INTO results (job_id, source, model, head_sha, verdict, policy, conclusion, report_json, markdown,
                              details_url, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (job_id, model) DO UPDATE SET verdict = excluded.verdict, policy = excluded.policy,
           conclusion = excluded.conclusion, report_json = excluded.report_json, markdown = excluded.markdown,
           details_url = excluded.details_url`,
      );
      for (const r of outcome.results ?? [])
        ins.run(
          jobId,
          r.source,
          r.model,
          r.headSha ?? null,
          r.verdict,
          r.policy ?? null,
          r.conclusion ?? null,
          JSON.stringify(r.report),
          r.markdown,
          r.detailsUrl ?? null,
          now,
        );
      const changed = this.db
        .prepare(
          `UPDATE jobs SET status = 'done', summary = ?, conclusion = ?, details_url = ?, last_error = NULL,
             finished_at = ?, updated_at = ? WHERE id = ? AND status = 'running'`,
        )
        .run(outcome.summary, outcome.conclusion ?? null, outcome.detailsUrl ?? null, now, now, jobId).changes;
      // A job that is no longer 'running' was finished elsewhere; writing over it would double-complete.
      if (changed !== 1) throw new Error(`job ${jobId} is not running; not completing it twice`);
    })();
  }

  retryLater(jobId: number, runAfter: number, error: string): void {
    this.db
      .prepare("UPDATE jobs SET status = 'queued', run_after = ?, last_error = ?, updated_at = ? WHERE id = ?")
      .run(runAfter, error, this.now(), jobId);
  }

  failJob(jobId: number, error: string): void {
    const now = this.now();
    this.db
      .prepare("UPDATE jobs SET status = 'failed', last_error = ?, finished_at = ?, updated_at = ? WHERE id = ?")
      .run(error, now, now, jobId);
  }

  getJob(id: number): JobRow | undefined {
    const raw = this.db.prepare<RawJob>('SELECT * FROM jobs WHERE id = ?').get(id);
    return raw ? toJob(raw) : undefined;
  }

  listJobs(limit = 50): JobRow[] {
    return this.db.prepare<RawJob>('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit).map(toJob);
  }

  counts(): Record<JobStatus, number> {
    const out: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of this.db
      .prepare<{ status: JobStatus; n: number }>('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status')
      .all())
      out[r.status] = r.n;
    return out;
  }

  deliveryCount(): number {
    return this.db.prepare<{ n: number }>('SELECT COUNT(*) AS n FROM deliveries').get()?.n ?? 0;
  }

  /** The newest result for every (source, model): what the dashboard's table shows. */
  latestResults(): ResultRow[] {
    return this.db
      .prepare<RawResult>(
        `SELECT r.* FROM results r
         JOIN (SELECT source, model, MAX(id) AS id FROM results GROUP BY source, model) latest ON latest.id = r.id
         ORDER BY r.source, r.model`,
      )
      .all()
      .map(toResult);
  }

  resultsForJob(jobId: number): ResultRow[] {
    return this.db.prepare<RawResult>('SELECT * FROM results WHERE job_id = ? ORDER BY id').all(jobId).map(toResult);
  }

  getResult(id: number): ResultRow | undefined {
    const raw = this.db.prepare<RawResult>('SELECT * FROM results WHERE id = ?').get(id);
    return raw ? toResult(raw) : undefined;
  }

  upsertRepos(installationId: number, account: string | undefined, fullNames: string[]): void {
    this.db.transaction(() => {
      const now = this.now();
      const st = this.db.prepare(
        `INSERT INTO repos (full_name, installation_id, account, added_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (full_name) DO UPDATE SET installation_id = excluded.installation_id,
           account = COALESCE(excluded.account, repos.account), updated_at = excluded.updated_at`,
      );
      for (const name of fullNames) st.run(name, installationId, account ?? null, now, now);
    })();
  }

  removeRepos(fullNames: string[]): void {
    const st = this.db.prepare('DELETE FROM repos WHERE full_name = ?');
    this.db.transaction(() => {
      for (const name of fullNames) st.run(name);
    })();
  }

  removeInstallation(installationId: number): void {
    this.db.prepare('DELETE FROM repos WHERE installation_id = ?').run(installationId);
  }

  listRepos(): RepoRow[] {
    return this.db
      .prepare<{
        full_name: string;
        installation_id: number;
        account: string | null;
        added_at: number;
        updated_at: number;
      }>('SELECT * FROM repos ORDER BY full_name')
      .all()
      .map((r) => ({
        fullName: r.full_name,
        installationId: r.installation_id,
        account: r.account,
        addedAt: r.added_at,
        updatedAt: r.updated_at,
      }));
  }
}

function toJob(r: RawJob): JobRow {
  return {
    id: r.id,
    kind: r.kind as JobRow['kind'],
    status: r.status,
    attempts: r.attempts,
    payload: JSON.parse(r.payload) as JobPayload,
    dedupeKey: r.dedupe_key,
    deliveryId: r.delivery_id,
    lastError: r.last_error,
    checkpoint: r.checkpoint === null ? undefined : (JSON.parse(r.checkpoint) as unknown),
    summary: r.summary,
    conclusion: r.conclusion,
    detailsUrl: r.details_url,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    runAfter: r.run_after,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

function toResult(r: RawResult): ResultRow {
  return {
    id: r.id,
    jobId: r.job_id,
    source: r.source,
    model: r.model,
    headSha: r.head_sha,
    verdict: r.verdict,
    policy: r.policy,
    conclusion: r.conclusion,
    report: JSON.parse(r.report_json) as unknown,
    markdown: r.markdown,
    detailsUrl: r.details_url,
    createdAt: r.created_at,
  };
}
