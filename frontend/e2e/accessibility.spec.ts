import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { apiUrl, baseUrl, newLifter, signedIn, type Lifter } from './support';

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
];

const BLOCKING = new Set(['serious', 'critical']);

/**
 * Serious or critical faults found in pages that are being changed on another branch at the
 * same time, so they are fixed there after the merge rather than here. Each entry names the
 * page and the axe rule id; the test still lists them in its report, and fails on any other
 * rule, or on these rules anywhere else. Remove an entry as soon as its page is fixed.
 */
const KNOWN_VIOLATIONS_FIXED_AFTER_MERGE: Record<string, string[]> = {
  // None at the time of writing: every page checked passes both widths. An entry looks like
  // `"/settings": ["label"]` (page path → axe rule ids).
};

interface Visit {
  /** The page's path, or a function giving it once the test data exists. */
  path: string | (() => string);
  signedIn: boolean;
  /** What to do after the page has loaded, to reach the state worth checking. */
  prepare?: (page: Page) => Promise<void>;
}

const VISITS: Visit[] = [
  { path: '/sign-in', signedIn: false },
  { path: '/exercises', signedIn: false },
  { path: '/coach', signedIn: false },
  { path: '/exercises', signedIn: true },
  { path: '/coach', signedIn: true },
  {
    path: '/workout',
    signedIn: true,
    prepare: async (page) => {
      const start = page.getByRole('button', { name: 'Start workout' });
      if (await start.isVisible()) await start.click();
      // The set rows (inputs, toggles) are what matters most on this screen.
      await page.getByRole('button', { name: 'Add exercise' }).click();
      await page.getByRole('searchbox', { name: 'Search exercises' }).fill('bench');
      await page.getByRole('button', { name: /^Barbell Bench Press/ }).click();
      await expect(page.getByRole('region', { name: 'Barbell Bench Press' })).toBeVisible();
    },
  },
  { path: '/history', signedIn: true },
  {
    path: () => `/history/${workoutId}#details`,
    signedIn: true,
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Edit details' }).click();
      await expect(page.getByLabel('Title')).toBeVisible();
    },
  },
  {
    path: () => `/history/${workoutId}#sets`,
    signedIn: true,
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Edit sets' }).click();
      await expect(page.getByRole('button', { name: 'Save sets' })).toBeVisible();
    },
  },
  { path: '/progress', signedIn: true },
  { path: '/settings', signedIn: true },
  { path: '/import', signedIn: true },
];

let lifter: Lifter;
let workoutId = 0;

test.beforeAll(async ({ request }) => {
  lifter = await newLifter(request, { name: 'axe' });
  const token = lifter.token;
  // Something in the log, so history and progress show their full pages.
  const found = await request.get(apiUrl('/exercise-templates?q=squat&page_size=5'), {
    headers: { Authorization: `Bearer ${token}` },
  });
  const template = ((await found.json()) as { items: { id: number }[] }).items[0]!;
  const started = new Date(Date.now() - 86_400_000).toISOString();
  const logged = await request.post(apiUrl('/workouts'), {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      title: 'Accessibility check',
      started_at: started,
      ended_at: new Date(Date.parse(started) + 3_600_000).toISOString(),
      exercises: [
        { template_id: template.id, sets: [{ type: 'normal', weight_kg: 100, reps: 5 }] },
      ],
    },
  });
  expect(logged.status()).toBe(201);
  workoutId = ((await logged.json()) as { id: number }).id;
});

async function openPage(
  browser: Browser,
  viewport: { width: number; height: number },
  asLifter: boolean,
) {
  const context = await browser.newContext({ viewport, baseURL: baseUrl() });
  if (asLifter) await signedIn(context, lifter);
  return { context, page: await context.newPage() };
}

for (const viewport of VIEWPORTS) {
  for (const visit of VISITS) {
    const who = visit.signedIn ? 'signed in' : 'signed out';
    const name =
      typeof visit.path === 'string'
        ? visit.path
        : visit.path().replace(/\/\d+#(\w+)$/, '/{id} (editing $1)');
    test(`${name} (${who}) at ${viewport.width}×${viewport.height} has no serious accessibility faults`, async ({
      browser,
    }) => {
      const { context, page } = await openPage(browser, viewport, visit.signedIn);
      const path = typeof visit.path === 'string' ? visit.path : visit.path();
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await page.waitForLoadState('networkidle');
      await visit.prepare?.(page);
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.passes.length, 'axe checked something').toBeGreaterThan(0);
      const allowed = new Set(KNOWN_VIOLATIONS_FIXED_AFTER_MERGE[name] ?? []);
      const serious = results.violations.filter((item) => BLOCKING.has(item.impact ?? ''));
      const describe = (item: (typeof serious)[number]) =>
        `${item.id} (${item.impact}): ${item.help}\n` +
        item.nodes.map((node) => `    ${node.target.join(' ')}`).join('\n');
      for (const item of serious.filter((entry) => allowed.has(entry.id))) {
        test.info().annotations.push({
          type: 'known accessibility fault, fixed after merge',
          description: `${name}: ${describe(item)}`,
        });
        console.log(`KNOWN ${name} ${viewport.name}: ${describe(item)}`);
      }
      const blocking = serious.filter((item) => !allowed.has(item.id));
      expect(
        blocking,
        `${name} (${who}, ${viewport.name}):\n${blocking.map(describe).join('\n')}`,
      ).toEqual([]);
      await context.close();
    });
  }
}
