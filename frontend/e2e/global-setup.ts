import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './freePort';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STARTUP_TIMEOUT_MS = 180_000;

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      reject(
        new Error(
          `the platform did not print READY within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output.slice(-4000)}`,
        ),
      );
    }, STARTUP_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (/^READY$/m.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`the platform exited with code ${code} while starting:\n${output.slice(-4000)}`),
      );
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Start API, coach, worker and web app on free ports with a throw-away data directory. */
export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.E2E_BASE_URL) return undefined;
  const [api, coach, worker, web] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'workout-e2e-'));
  const python = process.env.E2E_PYTHON ?? path.join(ROOT, '.venv', 'bin', 'python');
  const child = spawn(
    python,
    [
      'scripts/run_platform.py',
      '--data-dir',
      dataDir,
      '--api-port',
      String(api),
      '--coach-port',
      String(coach),
      '--worker-port',
      String(worker),
      '--web-port',
      String(web),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        PYTHONUNBUFFERED: '1',
        // Every test signs in (several accounts, all from 127.0.0.1) within a few minutes;
        // the sign-in and coach limits have tests of their own, these drive the pages.
        RATELIMIT_AUTH_ANONYMOUS: '1000/minute',
        RATELIMIT_AUTH_USER: '1000/minute',
        RATELIMIT_AUTH_ADMIN: '1000/minute',
        RATELIMIT_LOGIN_ACCOUNT: '1000/minute',
        COACH_RATELIMIT: '1000/minute',
        // The pages are checked against the program as the tests leave it, not the worker's
        // snapshot of it from an hour's window (the snapshot's age limit has tests of its own).
        COACH_CONTEXT_MAX_AGE_SECONDS: '0',
      },
    },
  );
  // Every service's log lines, for reading after a failure.
  mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
  child.stdout?.pipe(createWriteStream(path.join(ROOT, 'test-output', 'e2e-platform.log')));
  try {
    await waitForReady(child);
  } catch (error) {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  // Workers are started after global setup and inherit this environment.
  process.env.E2E_BASE_URL = `http://127.0.0.1:${web}`;
  process.env.E2E_API_URL = `http://127.0.0.1:${api}`;
  return async () => {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
