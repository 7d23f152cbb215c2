// Runtime configuration. The production image rewrites this file at start from API_BASE_URL
// and AI_COACH_BASE_URL; empty values mean "use the build-time value or the same-origin proxy".
window.__WORKOUT_CONFIG__ = { apiBaseUrl: '', aiCoachBaseUrl: '' };
