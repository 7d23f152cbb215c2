import { describe, expect, it, vi } from 'vitest';
import type { SessionStore } from '../auth/session';
import { asLifter } from './asLifter';

function fakeStore(token: string): SessionStore {
  return {
    withToken: vi.fn(<T>(call: (token: string) => Promise<T>) => call(token)),
  } as unknown as SessionStore;
}

describe('asLifter', () => {
  it('runs the call with the session token when signed in', async () => {
    const store = fakeStore('abc');
    expect(await asLifter(store, true, async (token) => token)).toBe('abc');
    expect(store.withToken).toHaveBeenCalledOnce();
  });

  it('runs the call without a token when signed out', async () => {
    const store = fakeStore('abc');
    expect(await asLifter(store, false, async (token) => token)).toBeNull();
    expect(store.withToken).not.toHaveBeenCalled();
  });
});
