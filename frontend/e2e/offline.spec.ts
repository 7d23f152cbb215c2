import { expect, test } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseUrl, newLifter, phoneContext, shoot, signInWithForm } from './support';
import { freePort } from './freePort';

const FRONTEND = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('installable: the manifest names the app, its icons and how it opens', async ({
  page,
  request,
}) => {
  await page.goto(`${baseUrl()}/workout`);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const response = await request.get(new URL(href!, baseUrl()).toString());
  expect(response.status()).toBe(200);
  const manifest = (await response.json()) as {
    name: string;
    short_name: string;
    start_url: string;
    display: string;
    theme_color: string;
    icons: { src: string; sizes: string; type: string; purpose: string }[];
  };
  expect(manifest).toMatchObject({
    name: 'Workout Tracker',
    short_name: 'Workouts',
    start_url: '/workout',
    display: 'standalone',
    theme_color: '#1d4ed8',
  });
  const icons = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose}`);
  expect(icons).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of manifest.icons) {
    const image = await request.get(new URL(icon.src, baseUrl()).toString());
    expect(image.headers()['content-type'], icon.src).toBe('image/png');
  }
});

test('after one visit the logging screen opens without a network; the API is never cached', async ({
  browser,
  request,
}) => {
  const lifter = await newLifter(request, { name: 'pocket' });
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await signInWithForm(page, lifter);
  await page.getByRole('link', { name: 'Workout', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Start workout' })).toBeVisible();

  await test.step('the service worker installs and takes the page', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  });

  await test.step('offline, a reload still opens the logging screen', async () => {
    await context.setOffline(true);
    // The worker itself has no network either: what follows comes from its cache.
    const worker = context.serviceWorkers()[0]!;
    expect(
      await worker.evaluate(() =>
        fetch('/index.html').then(
          () => 'online',
          () => 'offline',
        ),
      ),
    ).toBe('offline');
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Workout', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Start workout' })).toBeVisible();
    await expect(page.getByTestId('signed-in-user')).toContainText(lifter.username);
    // API calls are network only: offline they fail instead of answering from a cache.
    const health = await page.evaluate(() =>
      fetch('/api/health').then(
        (response) => `answered ${response.status}`,
        () => 'failed',
      ),
    );
    expect(health).toBe('failed');
    await shoot(page, 'phone-workout-offline-start');
  });

  await test.step('a workout started offline is kept on the device', async () => {
    await page.getByRole('button', { name: 'Start workout' }).click();
    await expect(page.getByRole('button', { name: 'Finish workout' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('button', { name: 'Finish workout' })).toBeVisible();
  });
  await context.setOffline(false);
  await context.close();
});

test('a new deploy takes over: online at once, and offline from the next reload', async ({
  browser,
}) => {
  // Two builds served from one directory by `vite preview`, as nginx serves the image's.
  const dist = mkdtempSync(path.join(tmpdir(), 'workout-deploy-'));
  const build = (coachUrl: string) =>
    execFileSync('npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir'], {
      cwd: FRONTEND,
      env: { ...process.env, VITE_AI_COACH_BASE_URL: coachUrl },
      stdio: 'ignore',
    });
  const entryScript = () =>
    /src="(\/assets\/index-[^"]+\.js)"/.exec(
      readFileSync(path.join(dist, 'index.html'), 'utf8'),
    )![1]!;
  build('http://first.invalid');
  const first = entryScript();
  const port = await freePort();
  const vite = path.join(FRONTEND, 'node_modules', '.bin', 'vite');
  const server = spawn(
    vite,
    ['preview', '--outDir', dist, '--port', String(port), '--strictPort'],
    {
      cwd: FRONTEND,
      stdio: 'ignore',
    },
  );
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
  try {
    const page = await context.newPage();
    await expect(async () => {
      await page.goto('/workout');
    }).toPass({ timeout: 30_000 });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const running = () =>
      page.evaluate(
        () =>
          new URL(document.querySelector<HTMLScriptElement>('script[src*="/assets/index-"]')!.src)
            .pathname,
      );
    expect(await running()).toBe(first);

    build('http://second.invalid');
    const second = entryScript();
    expect(second).not.toBe(first);
    await page.reload();
    expect(await running()).toBe(second);
    // The new worker has its files and has taken the page; the old cache stays for old tabs.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          const settled =
            !registration?.installing &&
            !registration?.waiting &&
            registration?.active?.state === 'activated';
          return settled ? (await caches.keys()).length : 0;
        }),
      )
      .toBe(2);

    await context.setOffline(true);
    await page.reload();
    expect(await running()).toBe(second);
    await expect(page.getByRole('heading', { name: 'Workout', level: 1 })).toBeVisible();
  } finally {
    await context.close();
    server.kill();
    rmSync(dist, { recursive: true, force: true });
  }
});
