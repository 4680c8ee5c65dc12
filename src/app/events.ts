/**
 * GitHub webhook → jobs. Pure: no I/O, so the server can record the delivery and its jobs in
 * one transaction before answering.
 */
import type { NewJob } from './store.js';
import type { GitHubCheckJob } from './types.js';

export interface Routed {
  jobs: NewJob[];
  /** Why nothing was queued (for the response body and the log). */
  ignored?: string;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);

const PR_ACTIONS = new Set(['opened', 'synchronize', 'reopened']);

export function routeGitHubEvent(event: string, payload: unknown): Routed {
  const p = obj(payload);
  if (!p) return { jobs: [], ignored: 'payload is not a JSON object' };
  const action = str(p.action);
  const installationId = num(obj(p.installation)?.id);

  if (event === 'ping') return { jobs: [], ignored: 'ping' };
  if (event === 'installation' || event === 'installation_repositories')
    return routeInstallation(event, action, p, installationId);
  if (installationId === undefined) return { jobs: [], ignored: `${event} without an installation id` };

  const repository = obj(p.repository);
  const owner = str(obj(repository?.owner)?.login);
  const repo = str(repository?.name);
  if (!owner || !repo) return { jobs: [], ignored: `${event} without a repository` };
  const base = { kind: 'github-check' as const, installationId, owner, repo };
  const check = (job: Omit<GitHubCheckJob, 'kind' | 'installationId' | 'owner' | 'repo'>): Routed => ({
    jobs: [
      {
        payload: { ...base, ...job },
        // A burst of pushes to one PR (or the release + tag push pair) coalesces while queued.
        // The base is part of the key: a queued job of the same head for another base (the PR was
        // retargeted meanwhile) must not absorb this one and check against the old base.
        dedupeKey:
          `gh:${owner}/${repo}@${job.headSha ?? `ref:${job.ref}`}#${job.prNumber ?? ''}` +
          (job.baseRef || job.baseSha ? `<-${job.baseRef ?? ''}@${job.baseSha ?? ''}` : ''),
      },
    ],
  });

  switch (event) {
    case 'pull_request': {
      // A PR retargeted to another base branch (`edited` with `changes.base`): the head's check
      // was made against the old base (its changed files, its manifest) and would stand for the new one.
      const retargeted = action === 'edited' && obj(obj(p.changes)?.base) !== undefined;
      if (!action || (!PR_ACTIONS.has(action) && !retargeted)) return { jobs: [], ignored: `pull_request.${action}` };
      const pr = obj(p.pull_request);
      const headSha = str(obj(pr?.head)?.sha);
      const baseSha = str(obj(pr?.base)?.sha);
      const baseRef = str(obj(pr?.base)?.ref);
      const number = num(pr?.number) ?? num(p.number);
      if (!headSha || number === undefined) return { jobs: [], ignored: 'pull_request without head sha or number' };
      return check({
        headSha,
        prNumber: number,
        ...(baseSha ? { baseSha } : {}),
        ...(baseRef ? { baseRef } : {}),
        trigger: retargeted ? 'pull_request.edited (base changed)' : `pull_request.${action}`,
      });
    }
    case 'release': {
      if (action !== 'published') return { jobs: [], ignored: `release.${action}` };
      const tag = str(obj(p.release)?.tag_name);
      if (!tag) return { jobs: [], ignored: 'release without tag_name' };
      return check({ ref: tag, trigger: 'release.published' });
    }
    case 'push': {
      const ref = str(p.ref);
      if (!ref?.startsWith('refs/tags/')) return { jobs: [], ignored: 'push to a branch' };
      if (p.deleted === true) return { jobs: [], ignored: 'tag deleted' };
      const tag = ref.slice('refs/tags/'.length);
      // `after` of an annotated tag is the tag object; head_commit is the commit it points to.
      const headSha = str(obj(p.head_commit)?.id);
      return check(headSha ? { headSha, trigger: `push.tag ${tag}` } : { ref: tag, trigger: `push.tag ${tag}` });
    }
    case 'check_suite':
    case 'check_run': {
      if (action !== 'rerequested') return { jobs: [], ignored: `${event}.${action}` };
      const item = obj(p[event]);
      const headSha = str(item?.head_sha);
      if (!headSha) return { jobs: [], ignored: `${event} without head_sha` };
      const prs = Array.isArray(item?.pull_requests) ? item.pull_requests : [];
      const prNumber = num(obj(prs[0])?.number);
      const baseSha = str(obj(obj(prs[0])?.base)?.sha);
      const baseRef = str(obj(obj(prs[0])?.base)?.ref);
      return check({
        headSha,
        prNumber,
        ...(baseSha ? { baseSha } : {}),
        ...(baseRef ? { baseRef } : {}),
        trigger: `${event}.rerequested`,
      });
    }
    default:
      return { jobs: [], ignored: `event ${event} is not handled` };
  }
}

function routeInstallation(
  event: string,
  action: string | undefined,
  p: Json,
  installationId: number | undefined,
): Routed {
  if (installationId === undefined) return { jobs: [], ignored: `${event} without an installation id` };
  const account = str(obj(obj(p.installation)?.account)?.login);
  const names = (v: unknown) =>
    (Array.isArray(v) ? v : []).map((r) => str(obj(r)?.full_name)).filter((n): n is string => n !== undefined);
  let jobAction: 'created' | 'deleted' | 'added' | 'removed';
  let repos: string[];
  if (event === 'installation' && (action === 'created' || action === 'deleted')) {
    jobAction = action;
    repos = names(p.repositories);
  } else if (event === 'installation_repositories' && action === 'added') {
    jobAction = 'added';
    repos = names(p.repositories_added);
  } else if (event === 'installation_repositories' && action === 'removed') {
    jobAction = 'removed';
    repos = names(p.repositories_removed);
  } else {
    return { jobs: [], ignored: `${event}.${action}` };
  }
  return { jobs: [{ payload: { kind: 'installation', installationId, action: jobAction, account, repos } }] };
}

/**
 * Hugging Face Hub webhook → a check of the pushed model revision. Only content changes of
 * model repos count; discussions, Spaces and datasets are ignored.
 */
export function routeHubEvent(payload: unknown): Routed & { deliveryId?: string } {
  const p = obj(payload);
  const ev = obj(p?.event);
  const repo = obj(p?.repo);
  if (!p || !ev || !repo) return { jobs: [], ignored: 'not a Hub webhook payload' };
  if (str(ev.scope) !== 'repo.content') return { jobs: [], ignored: `scope ${String(ev.scope)}` };
  if (str(repo.type) !== 'model') return { jobs: [], ignored: `repo type ${String(repo.type)}` };
  const name = str(repo.name);
  const headSha = str(repo.headSha);
  if (!name || !/^[\w.-]+(\/[\w.-]+)?$/.test(name)) return { jobs: [], ignored: 'repo.name missing or malformed' };
  if (!headSha || !/^[0-9a-f]{7,64}$/i.test(headSha)) return { jobs: [], ignored: 'repo.headSha missing or malformed' };
  const model = `hf:${name}@${headSha}`;
  // The Hub sends no delivery id; one revision is one delivery, so replays are processed once.
  return {
    jobs: [{ payload: { kind: 'hf-check', model, name, headSha }, dedupeKey: model }],
    deliveryId: `hf:${name}@${headSha}`,
  };
}
