import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Exercise } from '../api/types';
import { installFakeFetch, json, type Call } from '../test/fakeApi';
import { renderWithSession } from '../test/render';
import { ExercisesPage } from './ExercisesPage';

const exercises: Exercise[] = [
  { id: 1, name: 'Bench Press', sets: 4, reps: 8, weight: 80, workout_day: 'A' },
  { id: 2, name: 'Pull-Up', sets: 3, reps: 10, weight: null, workout_day: 'B' },
];

function listRoute(items: Exercise[] = exercises, total = items.length) {
  return (call: Call) =>
    json({
      page: Number(call.url.searchParams.get('page')),
      page_size: Number(call.url.searchParams.get('page_size')),
      total,
      items,
    });
}

describe('Exercises page', () => {
  it('lists exercises with the total and hides write actions when signed out', async () => {
    installFakeFetch({ 'GET /api/exercises': listRoute(exercises, 42) });
    renderWithSession(<ExercisesPage />, null);

    expect(await screen.findByText('Bench Press')).toBeInTheDocument();
    expect(screen.getByText('Showing 1–20 of 42 exercises')).toBeInTheDocument();
    expect(screen.getByText('Page 1 of 3')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New exercise' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Edit Bench Press' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('tells a read-only account once why it cannot change exercises, offering no dead buttons', async () => {
    installFakeFetch({ 'GET /api/exercises': listRoute() });
    renderWithSession(<ExercisesPage />, 'readonly');

    expect(await screen.findByText('Bench Press')).toBeInTheDocument();
    expect(screen.getAllByText(/read-only/)).toHaveLength(1);
    expect(screen.getByText(/Your account is read-only/)).toHaveTextContent(
      'not add, edit or delete them',
    );
    expect(screen.queryByRole('button', { name: 'New exercise' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^(Edit|Delete) / })).not.toBeInTheDocument();
    // The only disabled buttons left are the pager's, on page 1 of 1.
    const disabled = screen
      .getAllByRole('button')
      .filter((button) => button.hasAttribute('disabled'));
    expect(disabled.map((button) => button.textContent)).toEqual(['«', 'Previous', 'Next', '»']);
    expect(screen.getByRole('button', { name: 'Download CSV' })).toBeEnabled();
  });

  it('says once, on an empty first screen, what the app is for and where to begin', async () => {
    installFakeFetch({ 'GET /api/exercises': listRoute([], 0) });
    renderWithSession(<ExercisesPage />, 'user');

    expect(
      await screen.findByRole('heading', { name: 'Start your training log' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Start a workout' })).toHaveAttribute(
      'href',
      '/workout',
    );
    expect(screen.getByRole('link', { name: 'Import your history' })).toHaveAttribute(
      'href',
      '/import',
    );
    expect(screen.getByRole('button', { name: 'add its first exercise' })).toBeInTheDocument();
    expect(screen.queryByText(/No exercises/)).not.toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();

    await userEvent.setup().click(screen.getByRole('button', { name: 'add its first exercise' }));
    expect(screen.getByRole('dialog', { name: 'New exercise' })).toBeInTheDocument();
  });

  it('on an empty first screen signed out, offers signing in to build a program', async () => {
    installFakeFetch({ 'GET /api/exercises': listRoute([], 0) });
    renderWithSession(<ExercisesPage />, null);

    await screen.findByRole('heading', { name: 'Start your training log' });
    expect(screen.getAllByRole('link', { name: /sign in/i })).toHaveLength(1);
    expect(screen.getByRole('link', { name: 'sign in' })).toHaveAttribute('href', '/sign-in');
  });

  it('sorts by a column, then the other way on a second click', async () => {
    const { calls } = installFakeFetch({ 'GET /api/exercises': listRoute() });
    renderWithSession(<ExercisesPage />, null);
    const user = userEvent.setup();
    await screen.findByText('Bench Press');

    await user.click(screen.getByRole('button', { name: 'Weight (kg): sort ascending' }));
    await waitFor(() => expect(calls.at(-1)?.url.searchParams.get('sort_by')).toBe('weight'));
    expect(calls.at(-1)?.url.searchParams.get('sort_order')).toBe('asc');
    await user.click(await screen.findByRole('button', { name: 'Weight (kg): sort descending' }));

    await waitFor(() => expect(calls.at(-1)?.url.searchParams.get('sort_order')).toBe('desc'));
    expect(screen.getByRole('columnheader', { name: /Weight/ })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
  });

  it('shows the page size the address asked for, even one it does not offer', async () => {
    window.history.replaceState(null, '', '/exercises?page_size=3');
    const { calls } = installFakeFetch({ 'GET /api/exercises': listRoute(exercises, 42) });
    renderWithSession(<ExercisesPage />, null);

    expect(await screen.findByText('Showing 1–3 of 42 exercises')).toBeInTheDocument();
    expect(calls[0]?.url.searchParams.get('page_size')).toBe('3');
    expect(screen.getByLabelText('Per page')).toHaveValue('3');
    expect(screen.getByRole('option', { name: '3', selected: true })).toBeInTheDocument();
    window.history.replaceState(null, '', '/');
  });

  it('changes the page size and goes to the next page', async () => {
    const { calls } = installFakeFetch({ 'GET /api/exercises': listRoute(exercises, 42) });
    renderWithSession(<ExercisesPage />, null);
    const user = userEvent.setup();
    await screen.findByText('Bench Press');

    await user.selectOptions(screen.getByLabelText('Per page'), '10');
    await waitFor(() => expect(calls.at(-1)?.url.searchParams.get('page_size')).toBe('10'));
    await user.click(screen.getByRole('button', { name: 'Next' }));

    await waitFor(() => expect(calls.at(-1)?.url.searchParams.get('page')).toBe('2'));
    expect(await screen.findByText('Page 2 of 5')).toBeInTheDocument();
  });

  it('clears the weight with a PATCH that carries only weight: null', async () => {
    const { calls } = installFakeFetch({
      'GET /api/exercises': listRoute(),
      'PATCH /api/exercises/1': () => json({ ...exercises[0], weight: null }),
    });
    renderWithSession(<ExercisesPage />, 'user');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Edit Bench Press' }));
    const dialog = screen.getByRole('dialog', { name: /Edit/ });
    await user.clear(within(dialog).getByLabelText('Weight (kg)'));
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    await screen.findByText('Saved “Bench Press”.');
    const patch = calls.find((call) => call.method === 'PATCH');
    expect(patch?.body).toEqual({ weight: null });
    expect(patch?.headers.get('Authorization')).toBe('Bearer token-user');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('keeps everything typed when the API refuses a new exercise', async () => {
    installFakeFetch({
      'GET /api/exercises': listRoute(),
      'POST /api/exercises': () => json({ detail: 'Too many requests' }, 429),
    });
    renderWithSession(<ExercisesPage />, 'user');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'New exercise' }));
    const dialog = screen.getByRole('dialog', { name: 'New exercise' });
    await user.type(within(dialog).getByLabelText('Name'), 'Front Squat');
    await user.type(within(dialog).getByLabelText('Weight (kg)'), '70');
    await user.click(within(dialog).getByRole('button', { name: 'Create exercise' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Too many requests');
    expect(within(dialog).getByLabelText('Name')).toHaveValue('Front Squat');
    expect(within(dialog).getByLabelText('Weight (kg)')).toHaveValue('70');
  });

  it('shows field errors without calling the API for invalid input', async () => {
    const { calls } = installFakeFetch({ 'GET /api/exercises': listRoute() });
    renderWithSession(<ExercisesPage />, 'admin');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'New exercise' }));
    const dialog = screen.getByRole('dialog', { name: 'New exercise' });
    await user.clear(within(dialog).getByLabelText('Sets'));
    await user.type(within(dialog).getByLabelText('Sets'), '0');
    await user.click(within(dialog).getByRole('button', { name: 'Create exercise' }));

    expect(within(dialog).getByText('Name is required.')).toBeInTheDocument();
    expect(within(dialog).getByText('Sets must be from 1 to 100.')).toBeInTheDocument();
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
    // The first wrong field takes focus and carries its message; the count is announced.
    const name = within(dialog).getByLabelText('Name');
    expect(name).toHaveFocus();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription('Name is required.');
    expect(within(dialog).getByLabelText('Sets')).toHaveAccessibleDescription(
      'Sets must be from 1 to 100.',
    );
    expect(within(dialog).getByRole('status')).toHaveTextContent(
      'Please correct 2 fields: Name, Sets.',
    );
  });

  it('selects a number field on focus, so typing replaces the default', async () => {
    installFakeFetch({ 'GET /api/exercises': listRoute() });
    renderWithSession(<ExercisesPage />, 'user');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'New exercise' }));
    const dialog = screen.getByRole('dialog', { name: 'New exercise' });
    const sets = within(dialog).getByLabelText('Sets');
    expect(sets).toHaveAttribute('inputmode', 'numeric');
    expect(within(dialog).getByLabelText('Weight (kg)')).toHaveAttribute('inputmode', 'decimal');
    // A tap or click puts the caret where it lands; the field selects its value anyway.
    await user.click(sets);
    expect(sets).toHaveFocus();
    expect([
      (sets as HTMLInputElement).selectionStart,
      (sets as HTMLInputElement).selectionEnd,
    ]).toEqual([0, 1]);
    await user.keyboard('5');
    expect(sets).toHaveValue('5');
  });

  it('starts a new exercise on the workout day chosen last', async () => {
    installFakeFetch({
      'GET /api/exercises': listRoute(),
      'POST /api/exercises': (call) => json({ id: 9, ...(call.body as object) }, 201),
    });
    renderWithSession(<ExercisesPage />, 'user');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'New exercise' }));
    let dialog = screen.getByRole('dialog', { name: 'New exercise' });
    expect(within(dialog).getByLabelText('Workout day')).toHaveValue('A');
    await user.type(within(dialog).getByLabelText('Name'), 'Leg Press');
    await user.clear(within(dialog).getByLabelText('Workout day'));
    await user.type(within(dialog).getByLabelText('Workout day'), 'Legs');
    await user.click(within(dialog).getByRole('button', { name: 'Create exercise' }));
    await screen.findByText('Created “Leg Press” (ID 9).');

    await user.click(screen.getByRole('button', { name: 'New exercise' }));
    dialog = screen.getByRole('dialog', { name: 'New exercise' });
    expect(within(dialog).getByLabelText('Workout day')).toHaveValue('Legs');
  });

  it('deletes only after confirmation', async () => {
    const { calls } = installFakeFetch({
      'GET /api/exercises': listRoute(),
      'DELETE /api/exercises/2': () => new Response(null, { status: 204 }),
    });
    renderWithSession(<ExercisesPage />, 'user');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Delete Pull-Up' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(calls.some((call) => call.method === 'DELETE')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Delete Pull-Up' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));

    await screen.findByText('Deleted “Pull-Up”.');
    expect(calls.filter((call) => call.method === 'DELETE')).toHaveLength(1);
  });

  it('says why the API refused a change', async () => {
    installFakeFetch({
      'GET /api/exercises': listRoute(),
      'DELETE /api/exercises/1': () => json({ detail: 'Not enough permissions' }, 403),
    });
    renderWithSession(<ExercisesPage />, 'user');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Delete Bench Press' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));

    expect(await within(screen.getByRole('dialog')).findByRole('alert')).toHaveTextContent(
      'Your account is not allowed to do this (Not enough permissions).',
    );
  });
});

describe('Exercises page drafts', () => {
  it('when the session ends, offers signing in from the form and reopens it with the draft', async () => {
    installFakeFetch({
      'GET /api/exercises': listRoute(),
      'POST /api/exercises': () => json({ detail: 'Could not validate credentials' }, 401),
      'POST /api/auth/refresh': () => json({ detail: 'Invalid refresh token' }, 401),
    });
    const first = renderWithSession(<ExercisesPage />, 'user');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New exercise' }));
    let dialog = screen.getByRole('dialog', { name: 'New exercise' });
    await user.type(within(dialog).getByLabelText('Name'), 'Hack Squat');
    await user.click(within(dialog).getByRole('button', { name: 'Create exercise' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('session has expired');
    const signIn = within(dialog).getByRole('link', { name: 'Sign in again' });
    expect(signIn).toHaveAttribute('href', '/sign-in');
    // Closing the dialog now keeps the draft too.
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    first.unmount();

    // Signed in again, the page opens the form as it was left.
    renderWithSession(<ExercisesPage />, 'user');
    dialog = await screen.findByRole('dialog', { name: 'New exercise' });
    expect(within(dialog).getByLabelText('Name')).toHaveValue('Hack Squat');
  });

  it('reopens an edit left unsaved by an ended session, once signed in again', async () => {
    installFakeFetch({
      'GET /api/exercises': listRoute(),
      'PATCH /api/exercises/2': () => json({ detail: 'Could not validate credentials' }, 401),
      'POST /api/auth/refresh': () => json({ detail: 'Invalid refresh token' }, 401),
    });
    const first = renderWithSession(<ExercisesPage />, 'user');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit Pull-Up' }));
    let dialog = screen.getByRole('dialog', { name: 'Edit “Pull-Up”' });
    await user.type(within(dialog).getByLabelText('Weight (kg)'), '10');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    expect(await within(dialog).findByRole('link', { name: 'Sign in again' })).toBeInTheDocument();
    first.unmount();

    renderWithSession(<ExercisesPage />, 'user');
    dialog = await screen.findByRole('dialog', { name: 'Edit “Pull-Up”' });
    expect(within(dialog).getByLabelText('Weight (kg)')).toHaveValue('10');
  });

  it('brings back an unsaved new exercise after the page was left, until cancelled', async () => {
    installFakeFetch({
      'GET /api/exercises': listRoute(),
      'POST /api/exercises': () => json({ detail: 'Could not validate credentials' }, 401),
      'POST /api/auth/refresh': () => json({ detail: 'Invalid refresh token' }, 401),
    });
    const first = renderWithSession(<ExercisesPage />, 'user');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New exercise' }));
    await user.type(within(screen.getByRole('dialog')).getByLabelText('Name'), 'Hack Squat');
    await user.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Create exercise' }),
    );
    expect(await within(screen.getByRole('dialog')).findByRole('alert')).toHaveTextContent(
      'sign in again',
    );
    first.unmount();

    renderWithSession(<ExercisesPage />, 'user');
    await user.click(await screen.findByRole('button', { name: 'New exercise' }));
    expect(within(screen.getByRole('dialog')).getByLabelText('Name')).toHaveValue('Hack Squat');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'New exercise' }));

    expect(within(screen.getByRole('dialog')).getByLabelText('Name')).toHaveValue('');
  });
});

describe('Exercises page address', () => {
  it('starts from the page and order in the address and keeps them there', async () => {
    window.history.replaceState(
      null,
      '',
      '/exercises?page=2&page_size=10&sort_by=name&sort_order=desc',
    );
    const { calls } = installFakeFetch({ 'GET /api/exercises': listRoute(exercises, 42) });
    renderWithSession(<ExercisesPage />, null);

    expect(await screen.findByText('Page 2 of 5')).toBeInTheDocument();
    expect(Object.fromEntries(calls[0]!.url.searchParams)).toEqual({
      page: '2',
      page_size: '10',
      sort_by: 'name',
      sort_order: 'desc',
    });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Reps: sort ascending' }));

    await waitFor(() => expect(window.location.search).toBe('?page_size=10&sort_by=reps'));
  });
});
