import { ApiError, describeDetail, messageForStatus } from './errors';
import { TRACE_ID } from '../config';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
}

export interface RawResponse {
  response: Response;
  body: unknown;
}

/** A JSON client for one backend: base URL, timeout and the name used in error messages. */
export interface HttpClient {
  readonly baseUrl: string;
  request(path: string, options?: RequestOptions): Promise<RawResponse>;
}

export function buildUrl(
  baseUrl: string,
  path: string,
  query?: Record<string, string | number | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return `${baseUrl}${path}${search ? `?${search}` : ''}`;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 304) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    try {
      return await response.json();
    } catch {
      return undefined;
    }
  }
  return response.text();
}

export function createHttpClient(
  baseUrl: string,
  timeoutMs: number,
  serviceName: string,
): HttpClient {
  return {
    baseUrl,
    async request(path, options = {}) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      const headers: Record<string, string> = {
        'X-Trace-Id': TRACE_ID,
        Accept: 'application/json',
      };
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      if (options.token) headers.Authorization = `Bearer ${options.token}`;
      let response: Response;
      try {
        response = await fetch(buildUrl(baseUrl, path, options.query), {
          method: options.method ?? 'GET',
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal,
        });
      } catch (error) {
        if (timeout.aborted) {
          throw new ApiError(
            'timeout',
            0,
            `The ${serviceName} did not answer within ${Math.round(timeoutMs / 1000)} s. Please try again.`,
          );
        }
        if (options.signal?.aborted) throw error;
        throw new ApiError(
          'network',
          0,
          `Cannot reach the ${serviceName}. Check your connection and try again.`,
        );
      }
      const body = await readBody(response);
      if (!response.ok) {
        const detail =
          typeof body === 'object' && body !== null && 'detail' in body
            ? describeDetail((body as { detail: unknown }).detail)
            : undefined;
        throw new ApiError(
          'http',
          response.status,
          messageForStatus(response.status, detail, serviceName),
          detail,
        );
      }
      return { response, body };
    },
  };
}
