/** Where the two backends live, resolved once at start-up. */

export interface RuntimeConfig {
  apiBaseUrl?: string;
  aiCoachBaseUrl?: string;
}

declare global {
  interface Window {
    __WORKOUT_CONFIG__?: RuntimeConfig;
  }
}

export const API_TIMEOUT_MS = 10_000;
export const COACH_TIMEOUT_MS = 60_000;
export const TRACE_ID = 'ui-react';

function firstNonEmpty(...values: (string | undefined)[]): string | undefined {
  return values.find((value) => value !== undefined && value.trim() !== '')?.trim();
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Runtime configuration (written by the container from its environment) wins over the
 * build-time `VITE_*` values, which win over the same-origin paths that the dev server and
 * the image's nginx proxy to the backends.
 */
export function resolveBaseUrls(
  runtime: RuntimeConfig | undefined,
  buildTime: { VITE_API_BASE_URL?: string; VITE_AI_COACH_BASE_URL?: string },
): { api: string; coach: string } {
  return {
    api: withoutTrailingSlash(
      firstNonEmpty(runtime?.apiBaseUrl, buildTime.VITE_API_BASE_URL) ?? '/api',
    ),
    coach: withoutTrailingSlash(
      firstNonEmpty(runtime?.aiCoachBaseUrl, buildTime.VITE_AI_COACH_BASE_URL) ?? '/ai-coach',
    ),
  };
}

export const baseUrls = resolveBaseUrls(
  typeof window === 'undefined' ? undefined : window.__WORKOUT_CONFIG__,
  import.meta.env as { VITE_API_BASE_URL?: string; VITE_AI_COACH_BASE_URL?: string },
);
