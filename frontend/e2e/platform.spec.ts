import { expect, test, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { apiToken, apiUrl, columnTexts, newLifter, phoneContext, shoot, signedIn } from './support';
import type { ProgressAnalysis } from '../src/api/types';
import { groupLabel } from '../src/lib/muscleGroups';

interface Exercise {
  id: number;
  name: string;
  weight: number | null;
}

const SEED = [
  { name: 'Bench Press', sets: 4, reps: 8, weight: 80, workout_day: 'A' },
  { name: 'Back Squat', sets: 5, reps: 5, weight: 100, workout_day: 'B' },
  { name: 'Pull-Up', sets: 3, reps: 10, weight: null, workout_day: 'A' },
  { name: 'Plank', sets: 3, reps: 60, weight: null, workout_day: 'B' },
  { name: 'Barbell Curl', sets: 3, reps: 12, weight: 30, workout_day: 'A' },
  { name: 'Overhead Press', sets: 4, reps: 6, weight: 50, workout_day: 'B' },
];

test.use({ baseURL: process.env.E2E_BASE_URL });

// Direct checks against the API go as admin, whose rate limits are far above the tests' needs.
let adminHeaders: Record<string, string> = {};

async function adminGet<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(apiUrl(path), { headers: adminHeaders });
  expect(response.ok(), `GET ${path}`).toBe(true);
  return (await response.json()) as T;
}

test.beforeAll(async ({ request }) => {
  const token = await apiToken(request, 'admin', 'admin123');
  adminHeaders = { Authorization: `Bearer ${token}` };
  for (const exercise of SEED) {
    const response = await request.post(apiUrl('/exercises'), {
      data: exercise,
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status()).toBe(201);
  }
});

test('a lifter signs in, manages exercises, downloads them and signs out', async ({
  page,
  request,
}) => {
  const name = `E2E Front Squat ${Date.now()}`;
  const lifter = await newLifter(request);
  const traceIds: (string | undefined)[] = [];
  page.on('request', (sent) => {
    if (/^\/(api|ai-coach)\//.test(new URL(sent.url()).pathname))
      traceIds.push(sent.headers()['x-trace-id']);
  });

  await test.step('signed out: the list is readable, writing is offered only after sign-in', async () => {
    await page.goto('/exercises');
    await expect(page.getByRole('cell', { name: 'Bench Press' }).first()).toBeVisible();
    await expect(page.getByText(/Showing 1–\d+ of \d+ exercises/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'New exercise' })).toHaveCount(0);
    await expect(page.getByTestId('coach-status')).toContainText('Coach: ready');
    await shoot(page, 'exercises-signed-out');
  });

  await test.step('a wrong password is refused with a clear message, the username stays', async () => {
    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await expect(page.getByLabel('Username')).toBeFocused();
    await page.getByLabel('Username').fill(lifter.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Incorrect username or password.');
    await expect(page.getByLabel('Username')).toHaveValue(lifter.username);
    await shoot(page, 'sign-in-error');
  });

  await test.step('signing in shows the user and their role', async () => {
    await page.getByLabel('Password').fill(lifter.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/exercises$/);
    await expect(page.getByTestId('signed-in-user')).toHaveText(
      new RegExp(`${lifter.username}\\s*user`),
    );
  });

  await test.step('create an exercise (Escape first: the dialog closes, focus comes back)', async () => {
    const newButton = page.getByRole('button', { name: 'New exercise' });
    await newButton.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New exercise' });
    await expect(dialog.getByLabel('Name')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(newButton).toBeFocused();

    await newButton.click();
    await expect(dialog.getByLabel('Name')).toBeFocused();
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Sets').fill('5');
    await dialog.getByLabel('Reps').fill('3');
    await dialog.getByLabel('Weight (kg)').fill('90');
    await dialog.getByLabel('Workout day').fill('C');
    await shoot(page, 'exercise-create-dialog');
    await dialog.getByRole('button', { name: 'Create exercise' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Created “${name}”` })).toBeVisible();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'New exercise' })).toBeFocused();
  });

  await test.step('sort by every column both ways, as the API orders them', async () => {
    for (const [column, label] of [
      ['id', 'ID'],
      ['name', 'Name'],
      ['sets', 'Sets'],
      ['reps', 'Reps'],
      ['weight', 'Weight (kg)'],
      ['workout_day', 'Day'],
    ] as const) {
      // Two clicks on a header sort by it both ways (the first may be either way round).
      const escaped = label.replace(/[()]/g, '\\$&');
      const header = page.getByRole('columnheader', { name: new RegExp(`^${escaped}`) });
      let previous: string | null = null;
      for (let click = 0; click < 2; click += 1) {
        await page.getByRole('button', { name: new RegExp(`^${escaped}: sort`) }).click();
        if (previous === null) await expect(header).not.toHaveAttribute('aria-sort', 'none');
        else
          await expect(header).toHaveAttribute(
            'aria-sort',
            previous === 'ascending' ? 'descending' : 'ascending',
          );
        previous = await header.getAttribute('aria-sort');
        const order = previous === 'ascending' ? 'asc' : 'desc';
        const expected = await adminGet<{ items: Exercise[] }>(
          request,
          `/exercises?sort_by=${column}&sort_order=${order}&page_size=20`,
        );
        await expect
          .poll(() => columnTexts(page, 0))
          .toEqual(expected.items.map((item) => String(item.id)));
        if (column === 'name') await shoot(page, `exercises-sorted-by-name-${order}`);
      }
    }
  });

  const created = (
    await adminGet<{ items: Exercise[] }>(
      request,
      '/exercises?sort_by=id&sort_order=desc&page_size=1',
    )
  ).items[0]!;
  expect(created.name).toBe(name);
  const row = page.getByTestId(`exercise-row-${created.id}`);

  await test.step('edit: change the reps, then clear the weight', async () => {
    await row.getByRole('button', { name: `Edit ${name}` }).click();
    let dialog = page.getByRole('dialog', { name: /^Edit/ });
    await dialog.getByLabel('Reps').fill('4');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(row.locator('td').nth(3)).toHaveText('4');
    await expect(row.locator('td').nth(4)).toHaveText('90');
    await expect(row.getByRole('button', { name: `Edit ${name}` })).toBeFocused();

    await row.getByRole('button', { name: `Edit ${name}` }).click();
    dialog = page.getByRole('dialog', { name: /^Edit/ });
    await dialog.getByLabel('Weight (kg)').fill('');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(row.locator('td').nth(4)).toHaveText('—');
    const stored = await adminGet<Exercise & { reps: number }>(request, `/exercises/${created.id}`);
    expect(stored.weight).toBeNull();
    expect(stored.reps).toBe(4);
  });

  await test.step('download the list as CSV', async () => {
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe('exercises.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,name,sets,reps,weight,workout_day');
    expect(csv).toContain(name);
    const { total } = await adminGet<{ total: number }>(request, '/exercises?page_size=1');
    expect(lines).toHaveLength(total + 1);
  });

  await test.step('delete after confirming; focus returns to the page', async () => {
    await row.getByRole('button', { name: `Delete ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete exercise?' });
    await expect(dialog).toContainText(name);
    await shoot(page, 'exercise-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Deleted “${name}”` })).toBeVisible();
    await expect(row).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'New exercise' })).toBeFocused();
    expect(
      (await request.get(apiUrl(`/exercises/${created.id}`), { headers: adminHeaders })).status(),
    ).toBe(404);
    await shoot(page, 'exercises-signed-in');
  });

  await test.step('sign out hides the write actions again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'New exercise' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Edit / })).toHaveCount(0);
  });

  // Every call the app made to either backend carried the UI's trace id.
  expect(traceIds.length).toBeGreaterThan(10);
  expect(new Set(traceIds)).toEqual(new Set(['ui-react']));
});

test('the coach chats, plans a workout and analyses the log', async ({ page }) => {
  await page.goto('/coach');
  await expect(page.getByTestId('coach-status')).toContainText('Coach: ready');

  await test.step('chat with and without the workout data', async () => {
    const question = page.getByLabel('Your question');
    await question.fill('How should I balance my pressing and pulling?');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('list', { name: 'Conversation' });
    await expect(log.locator('.chat-answer').first()).toBeVisible({ timeout: 60_000 });
    await expect(log).toContainText('Based on your workout data.');
    await expect(question).toHaveValue('');

    await page.getByLabel('Use my workout data').uncheck();
    await question.fill('Any general tips for recovery?');
    await question.press('Control+Enter');
    await expect(log.locator('.chat-answer')).toHaveCount(2, { timeout: 60_000 });
    await expect(log.locator('.chat-answer').nth(1)).toContainText('General advice');
  });

  await test.step('recommend a workout for a focus, equipment and duration', async () => {
    await page.getByLabel('Focus area').selectOption('legs');
    await page.getByLabel('Cables').uncheck();
    await page.getByLabel('Session length (minutes)').fill('45');
    await page.getByRole('button', { name: 'Recommend a workout' }).click();
    const plan = page.locator('article.plan');
    await expect(plan).toBeVisible({ timeout: 60_000 });
    await expect(plan.getByRole('heading', { level: 3 })).not.toBeEmpty();
    expect(await plan.locator('.plan-exercises > li').count()).toBeGreaterThan(0);
    await expect(plan).toContainText(/About \d+ minutes/);
  });

  await test.step('analyse progress: lists, balance gauge and volume chart', async () => {
    const answered = page.waitForResponse((response) =>
      new URL(response.url()).pathname.endsWith('/analyze'),
    );
    await page.getByRole('button', { name: 'Analyse my training' }).click();
    const analysis = (await (await answered).json()) as ProgressAnalysis;
    const meter = page.getByRole('meter', { name: 'Muscle balance score' });
    await expect(meter).toBeVisible({ timeout: 60_000 });
    const score = Number(await meter.getAttribute('aria-valuenow'));
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(100);
    await expect(page.getByRole('heading', { name: 'Strengths' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Areas to improve' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Recommendations' })).toBeVisible();
    await expect(page.getByRole('rowheader', { name: 'Legs' })).toBeVisible();
    await expect(page.getByRole('rowheader', { name: 'Chest' })).toBeVisible();
    // The chart shows the coach's grouping, in the coach's order.
    await expect(page.locator('.volume-chart tbody th')).toHaveText(
      (analysis.volume_by_muscle_group ?? []).map((entry) => groupLabel(entry.group)),
    );
    await shoot(page, 'coach');
  });
});

test('a failed save keeps what was typed and says what went wrong', async ({ page, request }) => {
  await signedIn(page, await newLifter(request));
  // The API is overloaded: every create answers 503 until it recovers.
  await page.route('**/api/exercises', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: '{"detail":"Service temporarily unavailable"}',
        })
      : route.fallback(),
  );
  await page.goto('/exercises');
  await page.getByRole('button', { name: 'New exercise' }).click();
  const dialog = page.getByRole('dialog', { name: 'New exercise' });
  await dialog.getByLabel('Name').fill('Zercher Squat');
  await dialog.getByLabel('Weight (kg)').fill('60');
  await dialog.getByRole('button', { name: 'Create exercise' }).click();
  await expect(dialog.getByRole('alert')).toContainText('The Workout API had a problem (HTTP 503)');
  await expect(dialog.getByLabel('Name')).toHaveValue('Zercher Squat');
  await expect(dialog.getByLabel('Weight (kg)')).toHaveValue('60');
  await shoot(page, 'exercise-save-error');

  // Once the API recovers, the same dialog saves without retyping.
  await page.unroute('**/api/exercises');
  await dialog.getByRole('button', { name: 'Create exercise' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Created “Zercher Squat”' }),
  ).toBeVisible();
});

test('pages fit a phone-width screen', async ({ browser }) => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  for (const [path, name] of [
    ['/exercises', 'phone-exercises'],
    ['/coach', 'phone-coach'],
    ['/sign-in', 'phone-sign-in'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    if (path === '/exercises') await expect(page.getByText('Bench Press').first()).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    await shoot(page, name);
  }
  await context.close();
});

test('a read-only account is told once why it cannot change exercises', async ({
  page,
  request,
}) => {
  const reader = await newLifter(request, { name: 'reader', role: 'readonly' });
  await signedIn(page, reader);
  await page.goto('/exercises');

  await expect(page.getByTestId('signed-in-user')).toHaveText(
    new RegExp(`${reader.username}\\s*readonly`),
  );
  await expect(page.getByText(/Your account is read-only/)).toHaveCount(1);
  await expect(page.getByRole('cell', { name: 'Bench Press' }).first()).toBeVisible();
  // No write control is offered that could not be used.
  await expect(page.getByRole('button', { name: 'New exercise' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^(Edit|Delete) / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Download CSV' })).toBeEnabled();
  await shoot(page, 'exercises-read-only');
});

test('on a phone the program is compact cards, one header line and 44 px targets', async ({
  browser,
  request,
}) => {
  const context = await phoneContext(browser);
  await signedIn(context, await newLifter(request));
  const page = await context.newPage();
  await page.goto('/exercises');
  const cards = page.locator('table.exercise-table tbody tr');
  await expect(cards.first()).toBeVisible();

  // The page header (title, New exercise, CSV) is one line.
  const heading = (await page.getByRole('heading', { name: 'Exercises', level: 1 }).boundingBox())!;
  for (const name of ['New exercise', 'Download CSV']) {
    const button = (await page.getByRole('button', { name }).boundingBox())!;
    expect(Math.abs(button.y + button.height / 2 - (heading.y + heading.height / 2))).toBeLessThan(
      12,
    );
    expect(button.x + button.width).toBeLessThanOrEqual(390);
  }
  // Sort buttons in one row.
  const sortTops = await page
    .locator('button.sort')
    .evaluateAll((buttons) =>
      buttons
        .filter((button) => button.getBoundingClientRect().width > 0)
        .map((button) => Math.round(button.getBoundingClientRect().top)),
    );
  expect(sortTops.length).toBeGreaterThanOrEqual(5);
  expect(new Set(sortTops).size).toBe(1);

  // Every touch target on the page is at least 44 px high.
  const targets = [
    page.getByRole('button', { name: 'New exercise' }),
    page.getByRole('button', { name: 'Download CSV' }),
    page.getByRole('button', { name: 'Name: sort ascending' }),
    page.getByRole('button', { name: 'Weight (kg): sort ascending' }),
    page.getByRole('button', { name: /^Edit / }).first(),
    page.getByRole('button', { name: /^Delete / }).first(),
    page.getByRole('button', { name: 'Next' }),
    page.getByRole('button', { name: 'First page' }),
    page.getByLabel('Per page'),
    page.getByRole('button', { name: 'Sign out' }),
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workout' }),
  ];
  // The site header is two rows (name and account; then the pages, one swipeable line).
  const siteHeader = (await page.locator('header.app-header').boundingBox())!;
  expect(siteHeader.height).toBeLessThanOrEqual(2 * 44 + 16);
  for (const target of targets) {
    const box = (await target.boundingBox())!;
    expect(
      box.height,
      await target.evaluate((node) => node.outerHTML.slice(0, 80)),
    ).toBeGreaterThanOrEqual(44);
  }

  // A card is the name first, then its figures; far shorter than a screen.
  const first = cards.first();
  const box = (await first.boundingBox())!;
  expect(box.height).toBeLessThan(90);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  const text = await first.innerText();
  const exerciseName = await first.locator('td[data-label="Name"]').innerText();
  expect(text.trim().startsWith(exerciseName)).toBe(true);
  await expect(first.locator('td[data-label="ID"]')).toBeHidden();
  // Sets, reps, weight and day share the line under the name, each with its unit.
  const figures = await first.locator('td.figure').evaluateAll((cells) =>
    cells.map((cell) => ({
      top: Math.round(cell.getBoundingClientRect().top),
      unit: getComputedStyle(cell, '::after').content,
    })),
  );
  expect(new Set(figures.map((figure) => figure.top)).size).toBe(1);
  expect(figures.slice(0, 2).map((figure) => figure.unit)).toEqual(['" sets"', '" reps"']);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await shoot(page, 'phone-exercises-signed-in');

  // The current page's link is scrolled into view, even the last one.
  await page.goto('/settings');
  const current = page.getByRole('navigation', { name: 'Main' }).getByRole('link', {
    name: 'Settings',
  });
  await expect(current).toHaveAttribute('aria-current', 'page');
  await expect(current).toBeInViewport({ ratio: 1 });
  await context.close();
});

test('when the session has ended, signing in again from the form keeps what was typed', async ({
  page,
  request,
}) => {
  const lifter = await newLifter(request);
  // Both tokens are refused by the API for real: the access token is not one it issued and the
  // refresh token is unknown, as after the server ended the session.
  await page.addInitScript(
    (value) => localStorage.setItem('workout-tracker.session', value),
    JSON.stringify({
      accessToken: 'ended',
      refreshToken: 'ended-refresh-token',
      expiresAt: Date.now() + 25 * 60_000,
      user: { username: lifter.username, email: null, role: 'user', disabled: false },
    }),
  );
  await page.goto('/exercises');
  await page.getByRole('button', { name: 'New exercise' }).click();
  let dialog = page.getByRole('dialog', { name: 'New exercise' });
  const name = `Pendlay Row ${Date.now()}`;
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Workout day').fill('C');
  await dialog.getByRole('button', { name: 'Create exercise' }).click();
  await expect(dialog.getByRole('alert')).toContainText('session has expired');
  await shoot(page, 'exercise-session-ended');

  // The dialog itself offers signing in; afterwards the form is back as it was.
  await dialog.getByRole('link', { name: 'Sign in again' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.getByLabel('Username').fill(lifter.username);
  await page.getByLabel('Password').fill(lifter.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/exercises$/);
  dialog = page.getByRole('dialog', { name: 'New exercise' });
  await expect(dialog.getByLabel('Name')).toHaveValue(name);
  await expect(dialog.getByLabel('Workout day')).toHaveValue('C');
  await dialog.getByRole('button', { name: 'Create exercise' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Created “${name}”` })).toBeVisible();
});

test('sorting works from the keyboard', async ({ page }) => {
  await page.goto('/exercises');
  const header = page.getByRole('columnheader', { name: /^Name/ });
  await expect(header).toHaveAttribute('aria-sort', 'none');

  await page.getByRole('button', { name: 'Name: sort ascending' }).focus();
  await page.keyboard.press('Enter');
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  await page.keyboard.press('Space');
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(page).toHaveURL(/sort_by=name&sort_order=desc/);
});
