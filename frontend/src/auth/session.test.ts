import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { createHttpClient } from '../api/http';
import { installFakeFetch, json } from '../test/fakeApi';
import { SessionStore } from './session';

const me = { username: 'user', email: 'user@workout.local', role: 'user', disabled: false };

function tokens(access: string) {
  return {
    access_token: access,
    token_type: 'bearer',
    expires_in: 1800,
    refresh_token: `refresh-${access}`,
  };
}

describe('session store', () => {
  it('signs in, loads the user and remembers the session across reloads', async () => {
    installFakeFetch({
      'POST /api/auth/login': () => json(tokens('a1')),
      'GET /api/auth/me': () => json(me),
    });
    const http = createHttpClient('/api', 10_000, 'Workout API');

    const session = await new SessionStore(http, localStorage).signIn('user', 'user123');

    expect(session.user.role).toBe('user');
    expect(new SessionStore(http, localStorage).current?.accessToken).toBe('a1');
  });

  it('ends the refresh token on the server when signing out', async () => {
    const { calls } = installFakeFetch({
      'POST /api/auth/login': () => json(tokens('t1')),
      'GET /api/auth/me': () => json(me),
      'POST /api/auth/logout': () => json(null, 204),
    });
    const http = createHttpClient('/api', 10_000, 'Workout API');
    const store = new SessionStore(http, localStorage);
    await store.signIn('user', 'user123');

    store.signOut();

    expect(store.current).toBeNull();
    await vi.waitFor(() =>
      expect(calls.find((call) => call.url.pathname === '/api/auth/logout')?.body).toEqual({
        refresh_token: 'refresh-t1',
      }),
    );
  });

  it('refreshes silently and retries once when the API answers 401', async () => {
    const { calls } = installFakeFetch({
      'POST /api/auth/login': () => json(tokens('old')),
      'GET /api/auth/me': () => json(me),
      'POST /api/auth/refresh': () => json(tokens('new')),
    });
    const http = createHttpClient('/api', 10_000, 'Workout API');
    const store = new SessionStore(http, localStorage);
    await store.signIn('user', 'user123');
    const used: string[] = [];

    const result = await store.withToken(async (token) => {
      used.push(token);
      if (token === 'old') throw new ApiError('http', 401, 'expired');
      return 'done';
    });

    expect(result).toBe('done');
    expect(used).toEqual(['old', 'new']);
    expect(calls.find((call) => call.url.pathname === '/api/auth/refresh')?.body).toEqual({
      refresh_token: 'refresh-old',
    });
  });

  it('refreshes before calling when the token is about to expire', async () => {
    installFakeFetch({
      'POST /api/auth/login': () => json({ ...tokens('short'), expires_in: 30 }),
      'GET /api/auth/me': () => json(me),
      'POST /api/auth/refresh': () => json(tokens('fresh')),
    });
    const store = new SessionStore(createHttpClient('/api', 10_000, 'Workout API'), localStorage);
    await store.signIn('user', 'user123');

    expect(store.msUntilRefresh()).toBe(0);
    expect(await store.withToken(async (token) => token)).toBe('fresh');
  });

  it('signs out when the refresh token is refused', async () => {
    installFakeFetch({
      'POST /api/auth/login': () => json(tokens('old')),
      'GET /api/auth/me': () => json(me),
      'POST /api/auth/refresh': () => json({ detail: 'Invalid refresh token' }, 401),
    });
    const store = new SessionStore(createHttpClient('/api', 10_000, 'Workout API'), localStorage);
    await store.signIn('user', 'user123');

    const failure = await store.refresh().catch((error: unknown) => error);

    expect((failure as ApiError).message).toContain('sign in again');
    expect(store.current).toBeNull();
    expect(localStorage.length).toBe(0);
  });
});

describe('session store across tabs', () => {
  it('follows a sign-out made in another tab', () => {
    localStorage.setItem(
      'workout-tracker.session',
      JSON.stringify({
        accessToken: 'a',
        refreshToken: 'r',
        expiresAt: Date.now() + 60_000,
        user: me,
      }),
    );
    const store = new SessionStore(createHttpClient('/api', 10_000, 'Workout API'), localStorage);
    const seen: unknown[] = [];
    store.subscribe((session) => seen.push(session));
    expect(store.current?.user.username).toBe('user');

    localStorage.removeItem('workout-tracker.session');
    window.dispatchEvent(new StorageEvent('storage', { key: 'workout-tracker.session' }));

    expect(store.current).toBeNull();
    expect(seen).toEqual([null]);
  });
});
