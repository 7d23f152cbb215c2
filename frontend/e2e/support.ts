import { expect, type APIRequestContext, type Page } from '@playwright/test';
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

export async function apiToken(
  request: APIRequestContext,
  username: string,
  password: string,
): Promise<string> {
  const response = await request.post(apiUrl('/auth/login'), { data: { username, password } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The text of one column of the exercises table, top to bottom. */
export async function columnTexts(page: Page, index: number): Promise<string[]> {
  return page.locator(`table.exercise-table tbody tr td:nth-child(${index + 1})`).allInnerTexts();
}
