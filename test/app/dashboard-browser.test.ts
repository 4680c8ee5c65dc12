/**
 * The dashboard in headless Chromium (Debian's /usr/bin/chromium via playwright-core) with
 * JavaScript disabled: the pages must be complete without it. A screenshot is taken and checked.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/app.js';
import { FakeGitHubApp } from './fake-github-app.js';
import { postWebhook, prPayload, readingAnalyse, rsaKeys, tempDir, testConfig, tinyModel } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`dashboard browser test skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

const keys = rsaKeys();
const TOKEN = 'browser-dashboard-token-0123456789';
let gh: FakeGitHubApp;
let app: RunningApp;
let cleanup: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  if (!haveChromium) return;
  gh = await FakeGitHubApp.start({ appId: 1, publicKeyPem: keys.publicKey });
  ({ dir, cleanup } = await tempDir());
  app = await startApp(
    testConfig(dir, { appId: 1, privateKey: keys.privateKey, githubApiUrl: gh.url, dashboardToken: TOKEN }),
    {
      analyse: readingAnalyse((name) =>
        name.startsWith('base')
          ? { verdict: 'identical', policy: 'fail' }
          : name.includes('<b>')
            ? { verdict: 'derived', policy: 'warn' }
            : { verdict: 'independent', policy: 'pass' },
      ),
      log: { info: () => {}, warn: () => {}, error: () => {} },
    },
  );
  gh.addRepo('acme', 'zoo', 9);
  const sha = '1'.repeat(40);
  // A hostile file name checks escaping end to end.
  gh.addCommit('acme/zoo', sha, {
    'base/model.safetensors': { lfs: tinyModel(1) },
    'ft/model.safetensors': { lfs: tinyModel(2) },
    'x<b>y/model.safetensors': { lfs: tinyModel(3) },
  });
  gh.core.setPrFiles(1, ['base/model.safetensors', 'ft/model.safetensors', 'x<b>y/model.safetensors']);
  await postWebhook(app.url, {
    event: 'installation',
    delivery: 'i1',
    secret: 's3cret',
    payload: {
      action: 'created',
      installation: { id: 9, account: { login: 'acme' } },
      repositories: [{ full_name: 'acme/zoo' }],
    },
  });
  await postWebhook(app.url, {
    event: 'pull_request',
    delivery: 'p1',
    secret: 's3cret',
    payload: prPayload({ installationId: 9, owner: 'acme', repo: 'zoo', number: 1, sha }),
  });
  await app.queue.idle(60_000);
});

afterAll(async () => {
  if (!haveChromium) return;
  await app.close(2000);
  await gh.close();
  await cleanup();
});

/**
 * Headless Chromium occasionally answers Page.captureScreenshot with "Unable to capture screenshot"
 * while the machine is loaded (a compositor frame not ready); a second attempt succeeds.
 */
async function screenshot(
  page: {
    screenshot(o: { path: string; fullPage: boolean }): Promise<unknown>;
    waitForTimeout(ms: number): Promise<void>;
  },
  path: string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.screenshot({ path, fullPage: true });
      return;
    } catch (err) {
      if (attempt >= 3 || !/Unable to capture screenshot/.test(String(err))) throw err;
      await page.waitForTimeout(250 * attempt);
    }
  }
}

describe('dashboard in headless Chromium', () => {
  it.skipIf(!haveChromium)('renders verdicts and reports without JavaScript; screenshot is a real PNG', async () => {
    const { chromium } = await import('playwright-core');
    const profile = join(dir, 'chromium-profile'); // new and empty for every run
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      javaScriptEnabled: false,
      viewport: { width: 1200, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await context.newPage();
      // Signed out: the sign-in form, nothing of the results.
      const first = await page.goto(app.url, { waitUntil: 'load' });
      expect(first?.status()).toBe(401);
      expect(await page.textContent('body')).not.toContain('acme/zoo');
      // A wrong token is refused; the right one signs in (a plain form post, no JavaScript).
      await page.fill('input[name="token"]', 'not-the-token');
      const [refused] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/login' && r.request().method() === 'POST'),
        page.click('button[type="submit"]'),
      ]);
      expect(refused.status()).toBe(401);
      await page.waitForSelector('text=That is not the dashboard token.');
      await page.fill('input[name="token"]', TOKEN);
      const [res] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/' && r.request().method() === 'GET'),
        page.click('button[type="submit"]'),
      ]);
      expect(res.status()).toBe(200);
      await page.waitForLoadState('load');
      const cookies = await context.cookies(app.url);
      expect(cookies).toEqual([
        expect.objectContaining({ name: 'weightprint_session', httpOnly: true, sameSite: 'Strict' }),
      ]);
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a reader sees
      const text = await page.innerText('body');
      for (const v of ['identical', 'independent', 'derived']) expect(text).toContain(v);
      expect(text).toContain('acme/zoo');
      expect(text).toContain('x<b>y/model.safetensors'); // shown as text, not markup
      expect(await page.locator('main b').count()).toBe(0);

      const shot = join(dir, 'dashboard.png');
      await screenshot(page, shot);
      const png = await readFile(shot);
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
      expect(png.readUInt32BE(16)).toBe(1200); // IHDR width
      expect(png.length).toBeGreaterThan(10_000);
      if (process.env.WEIGHTPRINT_SCREENSHOT_DIR)
        await (await import('node:fs/promises')).copyFile(
          shot,
          join(process.env.WEIGHTPRINT_SCREENSHOT_DIR, 'dashboard.png'),
        );

      // Follow the first report link: the markdown report is rendered (heading, not raw '##').
      await page.click('a[href^="/reports/"]');
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a reader sees
      const report = await page.innerText('main');
      expect(report).toContain('Weightprint provenance report');
      expect(report).not.toContain('## Weightprint');
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a reader sees
      expect(await page.locator('main h2').first().innerText()).toBe('Weightprint provenance report');
      await screenshot(page, join(dir, 'report.png'));
      if (process.env.WEIGHTPRINT_SCREENSHOT_DIR)
        await (await import('node:fs/promises')).copyFile(
          join(dir, 'report.png'),
          join(process.env.WEIGHTPRINT_SCREENSHOT_DIR, 'report.png'),
        );
    } finally {
      await context.close();
    }
  });
});
