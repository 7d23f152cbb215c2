import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { installFakeFetch, json } from '../test/fakeApi';
import { renderWithSession } from '../test/render';
import { SignInPage } from './SignInPage';

const tokens = { access_token: 'a', token_type: 'bearer', expires_in: 1800, refresh_token: 'r' };
const me = { username: 'user', email: null, role: 'user', disabled: false };

describe('Sign-in page', () => {
  it('starts with the cursor in Username', () => {
    installFakeFetch({});
    renderWithSession(<SignInPage />, null);

    expect(screen.getByLabelText('Username')).toHaveFocus();
  });

  it('signs in and goes back to the page the user came from', async () => {
    window.history.pushState({ returnTo: '/coach' }, '', '/sign-in');
    const { calls } = installFakeFetch({
      'POST /api/auth/login': () => json(tokens),
      'GET /api/auth/me': () => json(me),
    });
    const { store } = renderWithSession(<SignInPage />, null);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Username'), 'user');
    await user.type(screen.getByLabelText('Password'), 'user123');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(window.location.pathname).toBe('/coach'));
    expect(store.current?.user.role).toBe('user');
    expect(calls[0]?.body).toEqual({ username: 'user', password: 'user123' });
  });

  it('ignores a return address on another site', async () => {
    window.history.pushState({ returnTo: '//evil.example' }, '', '/sign-in');
    installFakeFetch({
      'POST /api/auth/login': () => json(tokens),
      'GET /api/auth/me': () => json(me),
    });
    renderWithSession(<SignInPage />, null);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Username'), 'user');
    await user.type(screen.getByLabelText('Password'), 'user123');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(window.location.pathname).toBe('/exercises'));
  });

  it('says so when the password is wrong and keeps the username', async () => {
    installFakeFetch({
      'POST /api/auth/login': () => json({ detail: 'Incorrect username or password' }, 401),
    });
    renderWithSession(<SignInPage />, null);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Username'), 'user');
    await user.type(screen.getByLabelText('Password'), 'wrong-one');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Incorrect username or password.');
    expect(screen.getByLabelText('Username')).toHaveValue('user');
  });
});
