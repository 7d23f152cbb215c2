import { expect, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiUrl, newLifter, phoneContext, SCREENSHOTS, shoot, signInWithForm } from './support';

/** A Strong export over 5 MB (imported in the background): long notes, few sets. */
function largeStrongExport(workouts: number): Buffer {
  const note = 'Paused at the bottom, '.repeat(45);
  const lines = [
    'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes',
  ];
  for (let day = 0; day < workouts; day += 1) {
    const started = new Date(Date.UTC(2021, 0, 1 + day, 7))
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
    for (let order = 1; order <= 5; order += 1) {
      lines.push(
        `${started},Session ${day},1h,Squat (Barbell),${order},${100 + (day % 50)},5,0,0,${note}`,
      );
    }
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

const IMPORT_FILES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../services/api/tests/import_files',
);

test('a new lifter logs a workout on a phone, sees the summary, then finds it in history', async ({
  browser,
  request,
}) => {
  const lifter = await newLifter(request);

  const context = await phoneContext(browser);
  const page = await context.newPage();

  await test.step('sign in', async () => {
    await signInWithForm(page, lifter);
  });

  await test.step('start a workout and add an exercise from the library', async () => {
    await page.getByRole('link', { name: 'Workout', exact: true }).click();
    await page.getByRole('button', { name: 'Start workout' }).click();
    await page.getByRole('button', { name: 'Add exercise' }).click();
    await page.getByRole('searchbox', { name: 'Search exercises' }).fill('bench');
    await page.getByRole('button', { name: /^Barbell Bench Press/ }).click();
    await expect(page.getByRole('region', { name: 'Barbell Bench Press' })).toBeVisible();
  });

  const bench = page.getByRole('region', { name: 'Barbell Bench Press' });

  await test.step('log sets; checking one starts the rest timer', async () => {
    const first = bench.getByRole('row', { name: 'Set 1' });
    await first.getByLabel('Weight').fill('60');
    await first.getByLabel('Reps').fill('8');
    await first.getByLabel('Done').check();
    await expect(page.getByRole('timer')).toHaveText(/Rest 1:(30|29|28)/);
    await bench.getByRole('button', { name: 'Add set' }).click();
    const second = bench.getByRole('row', { name: 'Set 2' });
    // "Add set" copies the set before it.
    await expect(second.getByLabel('Weight')).toHaveValue('60');
    await expect(second.getByLabel('Reps')).toHaveValue('8');
    await second.getByLabel('Reps').fill('6');
    await second.getByLabel('Done').check();
    await shoot(page, 'phone-workout-logging');
  });

  await test.step('the workout in progress survives a reload', async () => {
    await page.reload();
    const second = bench.getByRole('row', { name: 'Set 2' });
    await expect(second.getByLabel('Reps')).toHaveValue('6');
    await expect(second.getByLabel('Done')).toBeChecked();
    await expect(page.getByRole('timer')).toBeVisible();
  });

  await test.step('a second exercise from the library', async () => {
    await page.getByRole('button', { name: 'Add exercise' }).click();
    await page.getByRole('searchbox', { name: 'Search exercises' }).fill('squat');
    const choice = page.getByRole('list', { name: 'Exercises' }).getByRole('button').first();
    const name = await choice.locator('.picker-name').innerText();
    await choice.click();
    const squat = page.getByRole('region', { name, exact: true });
    const row = squat.getByRole('row', { name: 'Set 1' });
    await row.getByLabel('Weight').fill('80');
    await row.getByLabel('Reps').fill('5');
    await row.getByLabel('Done').check();
  });

  await test.step('finish: the summary shows duration, volume, sets and records', async () => {
    await page.getByRole('button', { name: 'Finish workout' }).click();
    await expect(page.getByRole('heading', { name: 'Workout complete' })).toBeVisible();
    // 60 × 8 + 60 × 6 + 80 × 5
    await expect(page.getByText('1,240 kg')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Personal records' })).toBeVisible();
    await expect(page.getByText(/Heaviest weight/).first()).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot(page, 'phone-workout-summary');
  });

  await test.step('history lists it, newest first, with its detail', async () => {
    await page.getByRole('link', { name: 'History', exact: true }).click();
    const item = page.getByRole('listitem').filter({ hasText: '1,240 kg' });
    await expect(item).toContainText('3 sets');
    await item.getByRole('link').click();
    await expect(page.getByRole('region', { name: 'Barbell Bench Press' })).toBeVisible();
    await shoot(page, 'phone-workout-detail');
  });

  await test.step('progress shows e1RM with a table and the records', async () => {
    await page.getByRole('link', { name: 'Progress', exact: true }).click();
    await page.getByLabel('Exercise').selectOption({ label: 'Barbell Bench Press' });
    const chart = page.getByRole('img', { name: /Estimated one-rep max/ });
    await expect(chart).toBeVisible();
    // The chart shows the points the API returns: one dot each, named by its date and e1RM.
    const templateId = await page.getByLabel('Exercise').inputValue();
    const answer = await request.get(apiUrl(`/exercise-templates/${templateId}/progress`), {
      headers: { Authorization: `Bearer ${lifter.token}` },
    });
    const { points } = (await answer.json()) as { points: { date: string; value: number }[] };
    expect(points.length).toBeGreaterThan(0);
    await expect(chart.locator('.dot title')).toHaveText(
      points.map((point) => `${point.date}: ${Math.round(point.value * 10) / 10} kg`),
    );
    await page.getByText('Show as a table').click();
    await expect(page.getByRole('cell', { name: '76 kg' }).first()).toBeVisible();
    await expect(page.getByRole('rowheader', { name: 'Heaviest weight' })).toBeVisible();
    await shoot(page, 'phone-progress');
  });

  await test.step('settings: pounds are saved on the account and shown everywhere', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Pounds (lb)').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    await shoot(page, 'phone-settings');
    await page.getByRole('link', { name: 'History', exact: true }).click();
    // 1,240 kg in pounds.
    await expect(page.getByText(/2,733\.7 lb/)).toBeVisible();
  });

  await test.step('the same pages on a desktop screen', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const [path, name] of [
      ['/workout', 'desktop-workout-start'],
      ['/history', 'desktop-history'],
      ['/progress', 'desktop-progress'],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await shoot(page, name);
    }
  });

  await test.step('repeat the workout: its sets come back in pounds; discarding asks first', async () => {
    await page.goto('/workout');
    await page
      .getByRole('button', { name: /^Repeat (Morning|Afternoon|Evening) workout$/ })
      .click();
    const bench = page.getByRole('region', { name: 'Barbell Bench Press' });
    await expect(bench.getByRole('row', { name: 'Set 1' }).getByLabel('Weight')).toHaveValue(
      '132.28',
    );
    await shoot(page, 'desktop-workout-logging');
    await page.getByRole('button', { name: 'Discard workout' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(bench).toBeVisible();
    await page.getByRole('button', { name: 'Discard workout' }).click();
    await page.getByRole('button', { name: 'Discard', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Start workout' })).toBeVisible();
  });

  await context.close();
});

test('finishing offline keeps the workout and sends it once when back online', async ({
  browser,
  request,
}) => {
  const lifter = await newLifter(request, { name: 'offline' });
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await signInWithForm(page, lifter);

  await page.goto('/workout');
  await page.getByRole('button', { name: 'Start workout' }).click();
  await page.getByRole('button', { name: 'Add exercise' }).click();
  await page.getByRole('searchbox', { name: 'Search exercises' }).fill('deadlift');
  await page.getByRole('list', { name: 'Exercises' }).getByRole('button').first().click();
  const row = page.getByRole('row', { name: 'Set 1' });
  await row.getByLabel('Weight').fill('100');
  await row.getByLabel('Reps').fill('5');
  await row.getByLabel('Done').check();

  await context.setOffline(true);
  await page.getByRole('button', { name: 'Finish workout' }).click();
  await expect(page.getByText(/Saved on this device/)).toBeVisible();
  await expect(page.getByTestId('sync-badge')).toHaveText('1 workout waiting to sync');
  await shoot(page, 'phone-workout-offline');

  await context.setOffline(false);
  await expect(page.getByTestId('sync-badge')).toHaveCount(0);
  const list = await request.get(apiUrl('/workouts'), {
    headers: { Authorization: `Bearer ${lifter.token}` },
  });
  expect(((await list.json()) as { total: number }).total).toBe(1);
  await context.close();
});

test("on a phone, the coach's analysis shows the signed-in lifter's own log", async ({
  browser,
  request,
}) => {
  // A new lifter (other tests log workouts for the development user) logs four workouts over
  // the last two weeks: the bench press never gets heavier (a stalled lift), legs get few hard
  // sets (below the target).
  const lifter = await newLifter(request, { name: 'coached' });
  const headers = { Authorization: `Bearer ${lifter.token}` };
  async function templateId(q: string, name: string): Promise<number> {
    const found = await request.get(apiUrl(`/exercise-templates?q=${q}&page_size=50`), {
      headers,
    });
    expect(found.status()).toBe(200);
    const items = ((await found.json()) as { items: { id: number; name: string }[] }).items;
    const template = items.find((item) => item.name === name);
    expect(template, name).toBeTruthy();
    return template!.id;
  }
  const bench = await templateId('bench', 'Barbell Bench Press');
  const squat = await templateId('squat', 'Barbell Back Squat');
  const sets = (kg: number, reps: number, count: number) =>
    Array.from({ length: count }, () => ({
      type: 'normal',
      weight_kg: kg,
      reps,
      rpe: null,
      completed: true,
    }));
  const run = Date.now();
  for (const [index, daysAgo] of [13, 9, 5, 2].entries()) {
    const start = new Date(run - daysAgo * 86_400_000);
    const saved = await request.post(apiUrl('/workouts'), {
      headers,
      data: {
        title: `Upper and legs ${index + 1}`,
        started_at: start.toISOString(),
        ended_at: new Date(start.getTime() + 3_600_000).toISOString(),
        client_id: randomUUID(),
        exercises: [
          { template_id: bench, sets: sets(80, 5, 4) },
          { template_id: squat, sets: sets(100 + index * 5, 5, 2) },
        ],
      },
    });
    expect(saved.status(), await saved.text()).toBe(201);
  }

  const context = await phoneContext(browser);
  const page = await context.newPage();
  await signInWithForm(page, lifter);

  await page.goto('/coach');
  const panel = page.getByRole('region', { name: 'Analyse my progress' });
  const sent = page.waitForRequest((call) => new URL(call.url()).pathname.endsWith('/analyze'));
  await panel.getByRole('button', { name: 'Analyse my training' }).click();
  // The web app's own session token: the coach reads this lifter's log with it.
  expect((await sent).headers().authorization).toMatch(/^Bearer \S+$/);

  const log = panel.getByRole('region', { name: 'Your training log' });
  await expect(log).toBeVisible({ timeout: 60_000 });
  await expect(log).toContainText('4 workouts');
  const groups = log.getByRole('list', { name: 'Hard sets per week by muscle group' });
  await expect(groups.getByRole('listitem').filter({ hasText: 'Chest' })).toContainText(
    /\d+(\.\d)? \/ 10–20/,
  );
  const legs = groups.getByRole('listitem').filter({ hasText: 'Legs' });
  await expect(legs).toContainText('Below target');
  await expect(legs.locator('.group-suggestion')).not.toBeEmpty();
  const stalled = log.getByRole('list', { name: 'Stalled lifts' });
  await expect(stalled).toContainText('Barbell Bench Press');

  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow, '/coach scrolls sideways').toBeLessThanOrEqual(0);
  await log.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: `${SCREENSHOTS}/phone-coach-analysis.png` });

  await test.step('12 weeks runs the analysis again', async () => {
    const again = page.waitForRequest((call) => call.url().includes('weeks=12'));
    await panel.getByRole('button', { name: '12 weeks' }).click();
    await again;
    await expect(log).toContainText(/12 weeks/, { timeout: 60_000 });
  });

  await test.step('a plan says which part of the log it was built from', async () => {
    const planner = page.getByRole('region', { name: 'Plan a workout' });
    await planner.getByLabel('Focus area').selectOption('chest');
    await planner.getByRole('button', { name: 'Recommend a workout' }).click();
    const basis = planner.getByRole('region', { name: 'Based on your log' });
    await expect(basis).toContainText(/\d+ workouts? read since/, { timeout: 60_000 });
    await expect(basis).toContainText('Progression:');
    await planner.screenshot({ path: `${SCREENSHOTS}/phone-coach-plan.png` });
  });
  await context.close();
});

test('on a phone, a lifter imports a Strong export, finds it in history and loads plates', async ({
  browser,
  request,
}) => {
  const lifter = await newLifter(request, { name: 'importer' });
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await signInWithForm(page, lifter);

  await test.step('preview a Strong CSV in pounds: nothing is written yet', async () => {
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Import and export' })).toBeVisible();
    await page.getByLabel(/Export file/).setInputFiles(path.join(IMPORT_FILES, 'strong_lb.csv'));
    await page.getByLabel('Pounds (lb)').check();
    await page.getByRole('button', { name: 'Preview import' }).click();
    const preview = page.getByRole('region', { name: /Preview: Strong export/ });
    await expect(preview).toBeVisible();
    await expect(preview.getByText('Workouts in the file').locator('..')).toContainText('2');
    await expect(preview.getByText('To import').locator('..')).toContainText('2 workouts');
    await expect(preview.getByText('Cable Zottman Fly').first()).toBeVisible();
    const list = await request.get(apiUrl('/workouts'), {
      headers: { Authorization: `Bearer ${lifter.token}` },
    });
    expect(((await list.json()) as { total: number }).total).toBe(0);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow, '/import scrolls sideways').toBeLessThanOrEqual(0);
    await shoot(page, 'phone-import-preview');
  });

  await test.step('confirm: the workouts are created', async () => {
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(
      page.getByRole('heading', { name: /Imported 2 workouts with \d+ sets/ }),
    ).toBeVisible();
    await shoot(page, 'phone-import-done');
  });

  await test.step('history lists the imported workouts', async () => {
    await page.getByRole('link', { name: 'See them in History' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Morning Push' })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'Legs' })).toBeVisible();
  });

  await test.step('a file with unreadable rows: the preview says which lines and why', async () => {
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page
      .getByLabel(/Export file/)
      .setInputFiles(path.join(IMPORT_FILES, 'strong_bad_rows.csv'));
    await page.getByRole('button', { name: 'Preview import' }).click();
    const preview = page.getByRole('region', { name: /Preview: Strong export/ });
    await expect(preview.getByRole('heading', { name: /rows? not imported/ })).toBeVisible();
    await expect(preview.getByText('Line 3', { exact: true })).toBeVisible();
    await shoot(page, 'phone-import-skipped');
  });

  await test.step('a file over 5 MB: a progress bar follows the import on the server', async () => {
    await page.getByLabel(/Export file/).setInputFiles({
      name: 'strong_large.csv',
      mimeType: 'text/csv',
      buffer: largeStrongExport(1000),
    });
    await page.getByRole('button', { name: 'Preview import' }).click();
    await expect(page.getByRole('progressbar', { name: /strong_large\.csv|sets/ })).toBeVisible();
    const preview = page.getByRole('region', { name: /Preview: Strong export/ });
    await expect(preview.getByText('To import').locator('..')).toContainText('1,000 workouts', {
      timeout: 60_000,
    });
    await preview.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('progressbar')).toBeVisible();
    await expect(
      page.getByRole('heading', { name: 'Imported 1,000 workouts with 5,000 sets' }),
    ).toBeVisible({ timeout: 120_000 });
    await expect(page.getByRole('progressbar')).toHaveCount(0);
  });

  await test.step('plates for a barbell lift on the workout screen', async () => {
    await page.getByRole('link', { name: 'Workout', exact: true }).click();
    await page.getByRole('button', { name: 'Start workout' }).click();
    await page.getByRole('button', { name: 'Add exercise' }).click();
    await page.getByRole('searchbox', { name: 'Search exercises' }).fill('bench');
    await page.getByRole('button', { name: /^Barbell Bench Press/ }).click();
    const bench = page.getByRole('region', { name: 'Barbell Bench Press' });
    await bench.getByRole('row', { name: 'Set 1' }).getByLabel('Weight').fill('102.5');
    await bench.getByRole('button', { name: 'Plates' }).click();
    const side = bench.getByRole('list', { name: 'Each side' });
    await expect(side).toContainText('1 × 25 kg');
    await expect(side).toContainText('1 × 15 kg');
    await expect(side).toContainText('1 × 1.25 kg');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow, '/workout scrolls sideways').toBeLessThanOrEqual(0);
    await shoot(page, 'phone-plates');
  });
  await context.close();
});
