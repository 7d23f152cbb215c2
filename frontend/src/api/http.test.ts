import { describe, expect, it, vi } from 'vitest';
import { installFakeFetch, json } from '../test/fakeApi';
import { ApiError } from './errors';
import { createHttpClient } from './http';

describe('http client', () => {
  it('sends the trace header, the bearer token and a JSON body', async () => {
    const { calls } = installFakeFetch({ 'POST /api/exercises': () => json({ id: 1 }, 201) });
    const http = createHttpClient('/api', 10_000, 'Workout API');

    const { body } = await http.request('/exercises', {
      method: 'POST',
      body: { name: 'Squat' },
      token: 'abc',
    });

    expect(body).toEqual({ id: 1 });
    expect(calls[0]?.headers.get('X-Trace-Id')).toBe('ui-react');
    expect(calls[0]?.headers.get('Authorization')).toBe('Bearer abc');
    expect(calls[0]?.body).toEqual({ name: 'Squat' });
  });

  it.each([
    [401, 'Please sign in again'],
    [403, 'not allowed'],
    [404, 'Not found'],
    [422, 'check the values'],
    [429, 'Too many requests'],
    [500, 'Workout API had a problem (HTTP 500)'],
    [503, 'Workout API had a problem (HTTP 503)'],
  ])('turns HTTP %i into a clear message', async (status, text) => {
    installFakeFetch({ 'GET /api/exercises': () => json({ detail: 'server says no' }, status) });
    const http = createHttpClient('/api', 10_000, 'Workout API');

    const failure = await http.request('/exercises').catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(status);
    expect((failure as ApiError).message).toContain(text);
  });

  it('lists the fields of a 422 validation error', async () => {
    installFakeFetch({
      'POST /api/exercises': () =>
        json(
          { detail: [{ loc: ['body', 'name'], msg: 'String should have at most 100 characters' }] },
          422,
        ),
    });
    const http = createHttpClient('/api', 10_000, 'Workout API');

    const failure = (await http
      .request('/exercises', { method: 'POST', body: {} })
      .catch((e: unknown) => e)) as ApiError;

    expect(failure.message).toBe(
      'Please check the values you entered: name: String should have at most 100 characters.',
    );
  });

  it('reports a timeout in seconds when the backend does not answer in time', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        (_url: string, init: RequestInit) =>
          new Promise((_resolve, reject) => {
            init.signal?.addEventListener('abort', () =>
              reject(new DOMException('aborted', 'TimeoutError')),
            );
          }),
      ),
    );
    const http = createHttpClient('/ai-coach', 50, 'AI coach');

    const failure = (await http.request('/chat').catch((e: unknown) => e)) as ApiError;

    expect(failure.kind).toBe('timeout');
    expect(failure.message).toMatch(/AI coach did not answer within 0 s/);
  });

  it('reports a network failure as unreachable', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    const http = createHttpClient('/api', 10_000, 'Workout API');

    const failure = (await http.request('/exercises').catch((e: unknown) => e)) as ApiError;

    expect(failure.kind).toBe('network');
    expect(failure.message).toContain('Cannot reach the Workout API');
  });
});
