import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportJob, ImportResult } from '../api/imports';
import { installFakeFetch, json } from '../test/fakeApi';
import { renderWithSession } from '../test/render';
import ImportPage from './ImportPage';

interface Sent {
  url: URL;
  headers: Record<string, string>;
  body: FormData;
}

type Answer = { status: number; body: unknown };

/** A scripted XMLHttpRequest: records each upload, reports progress, then answers. */
function installFakeXhr(answer: (sent: Sent) => Answer) {
  const sent: Sent[] = [];
  class FakeXhr {
    status = 0;
    responseText = '';
    timeout = 0;
    upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    ontimeout: (() => void) | null = null;
    onabort: (() => void) | null = null;
    private url = '';
    private headers: Record<string, string> = {};
    open(_method: string, url: string) {
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    abort() {
      this.onabort?.();
    }
    send(body: FormData) {
      const request = { url: new URL(this.url, 'http://localhost'), headers: this.headers, body };
      sent.push(request);
      const { status, body: reply } = answer(request);
      setTimeout(() => {
        this.upload.onprogress?.({
          lengthComputable: true,
          loaded: 50,
          total: 100,
        } as ProgressEvent);
        this.status = status;
        this.responseText = JSON.stringify(reply);
        this.onload?.();
      }, 0);
    }
  }
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  return sent;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const STRONG = 'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps\n';

function result(change: Partial<ImportResult> = {}): ImportResult {
  return {
    source: 'strong',
    dry_run: true,
    workouts_found: 3,
    workouts_created: 2,
    duplicates_skipped: 1,
    sets_created: 17,
    rows_skipped: [{ line: 4, reason: 'Set Order: "X" is not a set number' }],
    templates_created: ['Zercher Squat'],
    unmatched_names: ['Zercher Squat'],
    ...change,
  };
}

function job(change: Partial<ImportJob> = {}): ImportJob {
  return {
    id: '5f0c8a9e-1d2b-4c3d-9e8f-0a1b2c3d4e5f',
    status: 'running',
    dry_run: false,
    bytes_done: 0,
    bytes_total: 100,
    rows_done: 0,
    rows_total: null,
    created_at: '2026-12-07T06:00:00Z',
    finished_at: null,
    result: null,
    error: null,
    ...change,
  };
}

/** The answers of `GET /imports/{id}`, one per poll (the last one repeats). */
function installJobPolls(answers: ImportJob[]) {
  let polled = 0;
  return installFakeFetch({
    [`GET /api/imports/${job().id}`]: () => json(answers[Math.min(polled++, answers.length - 1)]),
  });
}

async function chooseFile(user: ReturnType<typeof userEvent.setup>) {
  const file = new File([STRONG], 'strong.csv', { type: 'text/csv' });
  await user.upload(screen.getByLabelText(/Export file/), file);
}

describe('ImportPage', () => {
  it('previews the dry run with the counts and skipped rows, then imports on confirm', async () => {
    const sent = installFakeXhr(({ url }) =>
      url.searchParams.get('dry_run') === 'true'
        ? { status: 200, body: result() }
        : { status: 200, body: result({ dry_run: false }) },
    );
    const user = userEvent.setup();
    renderWithSession(<ImportPage />, 'user');
    await chooseFile(user);
    await user.click(screen.getByRole('button', { name: 'Preview import' }));

    const preview = await screen.findByRole('region', { name: /Preview: Strong export/ });
    expect(within(preview).getByText('Workouts in the file').nextSibling).toHaveTextContent('3');
    expect(within(preview).getByText('To import').nextSibling).toHaveTextContent('2 workouts');
    expect(within(preview).getByText('Sets').nextSibling).toHaveTextContent('17');
    expect(within(preview).getByText('Already in your log').nextSibling).toHaveTextContent(
      '1 workout',
    );
    expect(within(preview).getByText('Zercher Squat')).toBeInTheDocument();
    expect(within(preview).getByText('Line 4').parentElement).toHaveTextContent(
      'Line 4 Set Order: "X" is not a set number',
    );

    const first = sent[0]!;
    expect(first.url.pathname).toBe('/api/imports');
    expect(first.url.searchParams.get('source')).toBe('auto');
    expect(first.url.searchParams.get('on_error')).toBe('skip');
    expect(first.url.searchParams.get('weight_unit')).toBe('kg');
    expect(first.url.searchParams.get('timezone')).toBe(
      Intl.DateTimeFormat().resolvedOptions().timeZone,
    );
    expect(first.headers.Authorization).toBe('Bearer token-user');
    expect((first.body.get('file') as File).name).toBe('strong.csv');

    await user.click(within(preview).getByRole('button', { name: 'Import' }));
    expect(
      await screen.findByRole('heading', { name: 'Imported 2 workouts with 17 sets' }),
    ).toBeInTheDocument();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.url.searchParams.get('dry_run')).toBe('false');
    expect(screen.getByRole('link', { name: 'See them in History' })).toHaveAttribute(
      'href',
      '/history',
    );
  });

  it('folds many skipped rows away and sends the chosen format and unit', async () => {
    const rows = Array.from({ length: 12 }, (_, index) => ({
      line: index + 2,
      reason: 'Reps: "five" is not a number',
    }));
    const sent = installFakeXhr(() => ({ status: 200, body: result({ rows_skipped: rows }) }));
    const user = userEvent.setup();
    renderWithSession(<ImportPage />, 'user');
    await chooseFile(user);
    await user.selectOptions(screen.getByLabelText('Format'), 'hevy');
    await user.click(screen.getByLabelText('Pounds (lb)'));
    await user.click(screen.getByRole('button', { name: 'Preview import' }));
    const summary = await screen.findByText('12 rows not imported: show which and why');
    expect(summary.closest('details')).not.toHaveAttribute('open');
    expect(sent[0]!.url.searchParams.get('source')).toBe('hevy');
    expect(sent[0]!.url.searchParams.get('weight_unit')).toBe('lb');
  });

  it('says a file over 20 MB is too large (413)', async () => {
    installFakeXhr(() => ({
      status: 413,
      body: { detail: 'file: at most 20 MB can be imported at once; split the export by date' },
    }));
    const user = userEvent.setup();
    renderWithSession(<ImportPage />, 'user');
    await chooseFile(user);
    await user.click(screen.getByRole('button', { name: 'Preview import' }));
    const message = await screen.findByText(
      /^This file is larger than 20 MB, the most that can be imported at once\./,
    );
    expect(message.closest('[role="alert"]')).not.toBeNull();
    expect(screen.queryByRole('button', { name: 'Import' })).not.toBeInTheDocument();
  });

  it("shows the API's reason when the file cannot be read", async () => {
    installFakeXhr(() => ({
      status: 400,
      body: {
        detail: '1 row(s) cannot be read, nothing was imported',
        rows_skipped: [{ line: 3, reason: 'Reps: "five" is not a number' }],
      },
    }));
    const user = userEvent.setup();
    renderWithSession(<ImportPage />, 'user');
    await chooseFile(user);
    await user.click(screen.getByRole('button', { name: 'Preview import' }));
    const message = await screen.findByText(
      'This file cannot be read: 1 row(s) cannot be read, nothing was imported',
    );
    const alert = message.closest('[role="alert"]');
    expect(alert).toHaveTextContent('Line 3 Reps: "five" is not a number');
  });

  it('asks to sign in when the session cannot be renewed (401)', async () => {
    const sent = installFakeXhr(() => ({ status: 401, body: { detail: 'Token expired' } }));
    const { calls } = installFakeFetch({
      'POST /api/auth/refresh': () => json({ detail: 'Refresh token expired' }, 401),
    });
    const user = userEvent.setup();
    renderWithSession(<ImportPage />, 'user');
    await chooseFile(user);
    await user.click(screen.getByRole('button', { name: 'Preview import' }));
    expect(await screen.findByRole('link', { name: 'Sign in' })).toHaveAttribute(
      'href',
      '/sign-in',
    );
    expect(sent).toHaveLength(1);
    expect(calls.map((call) => call.url.pathname)).toEqual(['/api/auth/refresh']);
  });

  it('follows a large import on the server with a progress bar, then shows the result', async () => {
    const sent = installFakeXhr(({ url }) => ({
      status: 202,
      body: job({ bytes_done: 40, dry_run: url.searchParams.get('dry_run') === 'true' }),
    }));
    const { calls } = installJobPolls([
      job({ dry_run: true, bytes_done: 100, rows_total: 17 }),
      job({
        dry_run: true,
        status: 'succeeded',
        bytes_done: 100,
        rows_total: 17,
        result: result(),
      }),
      job({ bytes_done: 100, rows_done: 5, rows_total: 17 }),
      job({
        status: 'succeeded',
        bytes_done: 100,
        rows_done: 17,
        rows_total: 17,
        finished_at: '2026-12-07T06:01:00Z',
        result: result({ dry_run: false }),
      }),
    ]);
    const user = userEvent.setup();
    renderWithSession(<ImportPage />, 'user');
    await chooseFile(user);
    await user.click(screen.getByRole('button', { name: 'Preview import' }));

    const reading = await screen.findByRole('progressbar', { name: 'Reading strong.csv · 40%' });
    expect(reading).toHaveAttribute('value', '40');
    const comparing = { name: 'Comparing 17 sets with your log' };
    expect(await screen.findByRole('progressbar', comparing, { timeout: 3000 })).toBeVisible();
    const preview = await screen.findByRole(
      'region',
      { name: /Preview: Strong export/ },
      { timeout: 3000 },
    );

    await user.click(within(preview).getByRole('button', { name: 'Import' }));
    const saving = await screen.findByRole(
      'progressbar',
      { name: 'Saving sets: 5 of 17 · 29%' },
      { timeout: 3000 },
    );
    expect(saving).toHaveAttribute('value', '29');
    expect(
      await screen.findByRole(
        'heading',
        { name: 'Imported 2 workouts with 17 sets' },
        { timeout: 3000 },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(sent.map((request) => request.url.searchParams.get('dry_run'))).toEqual([
      'true',
      'false',
    ]);
    expect(calls).toHaveLength(4);
    expect(calls[0]!.headers.get('Authorization')).toBe('Bearer token-user');
  });

  it('shows why a large import failed on the server, with its lines', async () => {
    installFakeXhr(() => ({ status: 202, body: job() }));
    installJobPolls([
      job({
        status: 'failed',
        finished_at: '2026-12-07T06:01:00Z',
        error: {
          detail: '1 row(s) cannot be read, nothing was imported: line 7: reps is not a number',
          rows_skipped: [{ line: 7, reason: 'reps is not a number' }],
        },
      }),
    ]);
    const user = userEvent.setup();
    renderWithSession(<ImportPage />, 'user');
    await chooseFile(user);
    await user.click(screen.getByRole('button', { name: 'Preview import' }));
    const message = await screen.findByText(
      '1 row(s) cannot be read, nothing was imported: line 7: reps is not a number',
      {},
      { timeout: 3000 },
    );
    expect(message.closest('[role="alert"]')).toHaveTextContent('Line 7 reps is not a number');
    expect(screen.queryByRole('region', { name: /Preview/ })).not.toBeInTheDocument();
  });

  it('downloads an export with the token', async () => {
    const { calls } = installFakeFetch({
      'GET /api/workouts/export': () =>
        new Response('[]', {
          status: 200,
          headers: {
            'Content-Type': 'application/json',
            'Content-Disposition': 'attachment; filename="workouts-json-20261207.json"',
          },
        }),
    });
    const createObjectURL = vi.fn(() => 'blob:export');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const user = userEvent.setup();
    renderWithSession(<ImportPage />, 'user');
    await user.click(screen.getByRole('button', { name: 'Download JSON backup' }));
    expect(await screen.findByText('Downloaded workouts-json-20261207.json.')).toBeInTheDocument();
    expect(calls[0]!.url.searchParams.get('format')).toBe('json');
    expect(calls[0]!.headers.get('Authorization')).toBe('Bearer token-user');
    expect(click).toHaveBeenCalled();
    click.mockRestore();
  });
});
