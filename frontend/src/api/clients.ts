import { API_TIMEOUT_MS, COACH_TIMEOUT_MS, baseUrls } from '../config';
import { createHttpClient } from './http';

export const apiClient = createHttpClient(baseUrls.api, API_TIMEOUT_MS, 'Workout API');
export const coachClient = createHttpClient(baseUrls.coach, COACH_TIMEOUT_MS, 'AI coach');
