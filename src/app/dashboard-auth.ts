/**
 * Who may read the dashboard and report pages. They show every watched repository's models and
 * verdicts, so they are closed unless the operator sets DASHBOARD_TOKEN: then a request needs
 * `Authorization: Bearer <token>`, or the session cookie a browser gets by entering the token once
 * in the sign-in form. The cookie holds an expiry and an HMAC of it keyed by the token (nothing to
 * store; changing the token ends every session), and is HttpOnly and SameSite=Strict.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SESSION_COOKIE = 'weightprint_session';
/** A browser session lasts this long, then the form asks again. */
const SESSION_SECONDS = 12 * 60 * 60;

/** Constant-time comparison of secrets of any length (hash first so lengths do not leak). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function sessionMac(token: string, expires: number): string {
  return createHmac('sha256', token).update(`weightprint-dashboard-session:${expires}`).digest('hex');
}

/** The Set-Cookie value that signs a browser in until `now + SESSION_SECONDS`. */
export function sessionCookie(token: string, secure: boolean, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + SESSION_SECONDS;
  return [
    `${SESSION_COOKIE}=${expires}.${sessionMac(token, expires)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${SESSION_SECONDS}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** Clears the session cookie (sign out). */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

/** True when the request carries the token as a bearer token, or a live session cookie made with it. */
export function isAuthorised(req: IncomingMessage, token: string, now = Date.now()): boolean {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m && sameSecret(m[1]!, token)) return true;
  }
  const value = cookie(req, SESSION_COOKIE);
  const m = value ? /^(\d{1,12})\.([0-9a-f]{64})$/.exec(value) : null;
  if (!m) return false;
  const expires = Number(m[1]);
  if (expires * 1000 <= now) return false;
  return sameSecret(m[2]!, sessionMac(token, expires));
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}
