/**
 * `npm run app`: the GitHub App server. Configuration errors print one line and exit 2;
 * SIGTERM/SIGINT stop intake, let running jobs finish, then exit (anything unfinished is
 * re-queued on the next start).
 */
import { type AppConfig, ConfigError, loadConfig } from './config.js';
import { type RunningApp, startApp } from './app.js';

async function main(): Promise<void> {
  let config: AppConfig;
  let app: RunningApp;
  try {
    config = loadConfig(process.env);
    // An unopenable DB or a port in use surface as ConfigError too (WEIGHTPRINT_DB, PORT).
    app = await startApp(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`weightprint-app: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  console.log(`weightprint-app: listening on ${app.url} (db ${config.dbPath}, concurrency ${config.concurrency})`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`weightprint-app: ${signal}: finishing running jobs`);
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`weightprint-app: shutdown failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`weightprint-app: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
