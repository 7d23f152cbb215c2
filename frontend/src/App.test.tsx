import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { installFakeFetch, json } from './test/fakeApi';
import { renderWithSession } from './test/render';

const emptyList = json({ page: 1, page_size: 20, total: 0, items: [] });

describe('App', () => {
  it('names an unknown address "Page not found", in the page and in the tab title', async () => {
    window.history.replaceState(null, '', '/no-such-page');
    installFakeFetch({});
    renderWithSession(<App />, null);

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Page not found');
    await waitFor(() => expect(document.title).toBe('Page not found · Workout Tracker'));
  });

  it('puts the cursor in Username when the user goes to sign in', async () => {
    window.history.replaceState(null, '', '/exercises');
    installFakeFetch({ 'GET /api/exercises': () => emptyList.clone() });
    renderWithSession(<App />, null);
    const user = userEvent.setup();

    await user.click(screen.getAllByRole('link', { name: 'Sign in' })[0]!);

    await waitFor(() => expect(screen.getByLabelText('Username')).toHaveFocus());
    expect(document.title).toBe('Sign in · Workout Tracker');
  });
});
