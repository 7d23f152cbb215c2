import { expect, test, type APIRequestContext } from '@playwright/test';
import { apiUrl, newLifter, phoneContext, shoot, signedIn } from './support';
import { dayLabel } from '../src/lib/calendar';

const DESKTOP = { width: 1280, height: 800 };

/** A day some days before today (UTC) at 10:00, and its calendar key. */
function daysAgo(days: number): { key: string; startedAt: string; endedAt: string } {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() - days);
  const key = date.toISOString().slice(0, 10);
  return { key, startedAt: `${key}T10:00:00Z`, endedAt: `${key}T11:05:00Z` };
}

async function logWorkout(
  request: APIRequestContext,
  token: string,
  title: string,
  day: { startedAt: string; endedAt: string },
  templateId: number,
): Promise<number> {
  const response = await request.post(apiUrl('/workouts'), {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      title,
      started_at: day.startedAt,
      ended_at: day.endedAt,
      exercises: [
        {
          template_id: templateId,
          sets: [
            { type: 'warmup', weight_kg: 40, reps: 10 },
            { type: 'normal', weight_kg: 80, reps: 5 },
            { type: 'normal', weight_kg: 80, reps: 5 },
          ],
        },
      ],
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: number }).id;
}

test('on a phone, the calendar shows training days; a workout is renamed and another deleted', async ({
  browser,
  request,
}) => {
  const lifter = await newLifter(request, { name: 'historian' });
  const token = lifter.token;
  const found = await request.get(apiUrl('/exercise-templates?q=bench&page_size=50'), {
    headers: { Authorization: `Bearer ${token}` },
  });
  const templates = ((await found.json()) as { items: { id: number; name: string }[] }).items;
  const bench = templates.find((item) => item.name === 'Barbell Bench Press') ?? templates[0]!;
  const stamp = Date.now();
  const keep = { title: `Push day ${stamp}`, day: daysAgo(2) };
  const drop = { title: `Extra session ${stamp}`, day: daysAgo(5) };
  await logWorkout(request, token, keep.title, keep.day, bench.id);
  await logWorkout(request, token, drop.title, drop.day, bench.id);

  const context = await phoneContext(browser);
  await signedIn(context, lifter);
  const page = await context.newPage();
  const calendar = page.getByRole('grid', { name: 'Training days, last 12 months' });
  const dayButton = (key: string) => calendar.locator(`button[data-day="${key}"]`);

  await test.step('both days are filled in the calendar', async () => {
    await page.goto('/history');
    await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
    for (const { day } of [keep, drop]) {
      await expect(dayButton(day.key)).toHaveAttribute(
        'aria-label',
        new RegExp(`^${dayLabel(day.key, 1).split(':')[0]}: \\d+ workouts?$`),
      );
      await expect(dayButton(day.key)).toHaveClass(/trained/);
    }
    await expect(page.getByRole('heading', { name: 'Last 4 weeks' })).toBeVisible();
    await expect(page.getByText(/weeks? in a row/)).toBeVisible();
    await shoot(page, 'phone-history-calendar');
  });

  await test.step('choosing a day lists its workouts; one is renamed', async () => {
    await dayButton(keep.day.key).click();
    await expect(page.getByRole('heading', { name: /^Workouts on / })).toBeVisible();
    await expect(page.getByRole('link', { name: drop.title })).toHaveCount(0);
    await page.getByRole('link', { name: keep.title }).click();
    await expect(page.getByRole('heading', { level: 1, name: keep.title })).toBeVisible();
    await page.getByRole('button', { name: 'Edit details' }).click();
    await page.getByLabel('Title').fill(`${keep.title} (heavy)`);
    await page.getByLabel('Notes').fill('Felt strong.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(
      page.getByRole('heading', { level: 1, name: `${keep.title} (heavy)` }),
    ).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Changes saved.' })).toBeVisible();
    await expect(page.getByText('Felt strong.')).toBeVisible();
  });

  await test.step('a set is corrected and the whole workout saved', async () => {
    await page.getByRole('button', { name: 'Edit sets' }).click();
    const reps = page.getByLabel(`${bench.name}, set 3: Reps`);
    await reps.fill('4');
    await shoot(page, 'phone-history-edit-sets');
    await page.getByRole('button', { name: 'Save sets' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Changes saved.' })).toBeVisible();
    await expect(page.getByRole('region', { name: bench.name })).toContainText('80 kg × 4');
    await expect(page.getByText('Felt strong.')).toBeVisible();
  });

  await test.step('the other is deleted after a confirmation and leaves the list', async () => {
    await page.getByRole('link', { name: '← History' }).click();
    await dayButton(drop.day.key).click();
    await page.getByRole('link', { name: drop.title }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this workout?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
    await expect(page.getByRole('link', { name: `${keep.title} (heavy)` })).toBeVisible();
    await expect(page.getByRole('link', { name: drop.title })).toHaveCount(0);
  });

  await test.step('on a desktop screen the whole year fits', async () => {
    await page.setViewportSize(DESKTOP);
    await page.reload();
    await expect(dayButton(keep.day.key)).toHaveClass(/trained/);
    await shoot(page, 'desktop-history-calendar');
  });
  await context.close();
});
