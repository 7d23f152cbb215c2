import { describe, expect, it } from 'vitest';
import { resolveBaseUrls } from './config';

describe('base URLs', () => {
  it('defaults to the same-origin proxy paths', () => {
    expect(resolveBaseUrls(undefined, {})).toEqual({ api: '/api', coach: '/ai-coach' });
  });

  it('uses the build-time values when no runtime value is set', () => {
    expect(
      resolveBaseUrls(
        { apiBaseUrl: '', aiCoachBaseUrl: ' ' },
        {
          VITE_API_BASE_URL: 'https://api.example.test/',
          VITE_AI_COACH_BASE_URL: 'https://coach.example.test',
        },
      ),
    ).toEqual({ api: 'https://api.example.test', coach: 'https://coach.example.test' });
  });

  it('lets the runtime configuration win over the build', () => {
    expect(
      resolveBaseUrls(
        { apiBaseUrl: 'https://runtime.example.test/api' },
        { VITE_API_BASE_URL: 'https://build.example.test' },
      ),
    ).toEqual({ api: 'https://runtime.example.test/api', coach: '/ai-coach' });
  });
});
