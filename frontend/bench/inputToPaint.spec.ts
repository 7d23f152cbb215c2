import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { apiUrl, newLifter, phoneContext, signInWithForm } from '../e2e/support';

// Input to paint on the logging screen of a workout of 8 exercises x 5 sets, typing weights
// and reps key by key, with Chromium's CPU at full speed (the baseline) and slowed 4x through
// the DevTools protocol (a mid-range phone). The figures go to the file BENCH_OUT names.

const EXERCISES = 8;
const SETS = 5;
const RATES = [1, 4];

declare global {
  interface Window {
    __inputToPaint: number[];
  }
}

/**
 * From each input event's timestamp (when the key reached the page) to the end of the next
 * frame: a message posted from requestAnimationFrame runs once that frame has been painted.
 */
function measureInputToPaint(): void {
  window.__inputToPaint = [];
  document.addEventListener(
    'input',
    (event) => {
      const start = event.timeStamp;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => window.__inputToPaint.push(performance.now() - start);
        channel.port2.postMessage(null);
      });
    },
    true,
  );
}

async function press(page: Page, key: string): Promise<void> {
  const before = await page.evaluate(() => window.__inputToPaint.length);
  await page.keyboard.press(key);
  await page.waitForFunction((count) => window.__inputToPaint.length > count, before);
}

async function typeInto(page: Page, field: ReturnType<Page['getByLabel']>, text: string) {
  await field.click();
  await field.selectText();
  await press(page, 'Backspace');
  for (const key of text) await press(page, key);
}

test('input to paint on the logging screen, 8 exercises x 5 sets', async ({ browser, request }) => {
  const lifter = await newLifter(request, { name: 'bench' });
  const headers = { Authorization: `Bearer ${lifter.token}` };
  const library = await request.get(apiUrl(`/exercise-templates?page_size=${EXERCISES}`), {
    headers,
  });
  const templates = ((await library.json()) as { items: { id: number }[] }).items;
  expect(templates).toHaveLength(EXERCISES);
  const started = new Date(Date.now() - 86_400_000);
  const saved = await request.post(apiUrl('/workouts'), {
    headers,
    data: {
      title: 'Full body',
      started_at: started.toISOString(),
      ended_at: new Date(started.getTime() + 3_600_000).toISOString(),
      client_id: randomUUID(),
      exercises: templates.map((template) => ({
        template_id: template.id,
        sets: Array.from({ length: SETS }, () => ({
          type: 'normal',
          weight_kg: 60,
          reps: 8,
          rpe: null,
          completed: true,
        })),
      })),
    },
  });
  expect(saved.status(), await saved.text()).toBe(201);

  const context = await phoneContext(browser);
  const page = await context.newPage();
  await signInWithForm(page, lifter);
  await page.getByRole('link', { name: 'Workout', exact: true }).click();
  await page.getByRole('button', { name: 'Repeat Full body' }).click();
  const rows = page.locator('.exercise-card').getByRole('row', { name: /^Set \d+$/ });
  await expect(rows).toHaveCount(EXERCISES * SETS);
  await page.evaluate(measureInputToPaint);

  const cdp = await context.newCDPSession(page);
  const samples: Record<string, number[]> = Object.fromEntries(RATES.map((rate) => [rate, []]));
  // Half the sets at each speed, then the other half, so a change in the machine's load
  // during the run falls on both speeds alike.
  const half = (EXERCISES * SETS) / 2;
  for (const first of [0, half]) {
    for (const rate of RATES) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      await page.evaluate(() => {
        window.__inputToPaint = [];
      });
      for (let index = first; index < first + half; index += 1) {
        const row = rows.nth(index);
        await typeInto(page, row.getByLabel('Weight'), '62.5');
        await typeInto(page, row.getByLabel('Reps'), '10');
      }
      samples[String(rate)]!.push(...(await page.evaluate(() => window.__inputToPaint)));
    }
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

  const out = process.env.BENCH_OUT;
  const figures = {
    browser: browser.version(),
    exercises: EXERCISES,
    sets: SETS,
    samples,
  };
  if (out) writeFileSync(out, JSON.stringify(figures));
  else console.log(JSON.stringify(figures));
  await context.close();
});
