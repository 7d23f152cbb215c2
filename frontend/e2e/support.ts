import {
  expect,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCREENSHOTS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'test-output',
  'screenshots',
);
mkdirSync(SCREENSHOTS, { recursive: true });

export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: global setup did not start the platform');
  return url;
}

/** Direct calls to the API through the web server's /api proxy, to set up and check data. */
export function apiUrl(pathname: string): string {
  return `${baseUrl()}/api${pathname}`;
}

/** A phone-sized window, as lifters use the app in the gym. */
export const PHONE = { width: 390, height: 844 };

/** A new browser context that behaves as a phone: its size, touch and mobile viewport. */
export function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: PHONE,
    baseURL: baseUrl(),
    isMobile: true,
    hasTouch: true,
  });
}

export async function apiToken(
  request: APIRequestContext,
  username: string,
  password: string,
): Promise<string> {
  const response = await request.post(apiUrl('/auth/login'), { data: { username, password } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

export type LifterRole = 'user' | 'readonly' | 'admin';

/** An account made for one test, so no test sees another's workouts or settings. */
export interface Lifter {
  username: string;
  password: string;
  role: LifterRole;
  /** An access token, for setting up and checking data through the API. */
  token: string;
}

let lifters = 0;

/**
 * Register a new lifter through the admin API (`name` starts the username, which is made
 * unique) and sign it in through the API. Pass the result to `signedIn` to open pages as it,
 * or fill the sign-in form with its username and password.
 */
export async function newLifter(
  request: APIRequestContext,
  { name = 'lifter', role = 'user' }: { name?: string; role?: LifterRole } = {},
): Promise<Lifter> {
  lifters += 1;
  const username = `${name}-${Date.now().toString(36)}${lifters}`;
  const password = `${name}-pass-123`;
  const admin = await apiToken(request, 'admin', 'admin123');
  const created = await request.post(apiUrl('/admin/users'), {
    data: { username, password, role },
    headers: { Authorization: `Bearer ${admin}` },
  });
  expect(created.status(), await created.text()).toBe(201);
  return { username, password, role, token: await apiToken(request, username, password) };
}

/** Open every page of `target` signed in as `lifter`, sparing the sign-in form. */
export async function signedIn(target: Page | BrowserContext, lifter: Lifter): Promise<void> {
  const session = JSON.stringify({
    accessToken: lifter.token,
    refreshToken: null,
    expiresAt: Date.now() + 25 * 60_000,
    user: { username: lifter.username, email: null, role: lifter.role, disabled: false },
  });
  await target.addInitScript(
    (value) => localStorage.setItem('workout-tracker.session', value),
    session,
  );
}

/** Sign in through the sign-in form, as a lifter does. */
export async function signInWithForm(page: Page, lifter: Lifter): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Username').fill(lifter.username);
  await page.getByLabel('Password').fill(lifter.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-user')).toContainText(lifter.username);
}

export async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The text of one column of the exercises table, top to bottom. */
export async function columnTexts(page: Page, index: number): Promise<string[]> {
  return page.locator(`table.exercise-table tbody tr td:nth-child(${index + 1})`).allInnerTexts();
}
