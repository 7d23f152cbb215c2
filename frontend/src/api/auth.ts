import type { HttpClient } from './http';
import type { TokenPair, User } from './types';

export async function login(
  http: HttpClient,
  username: string,
  password: string,
): Promise<TokenPair> {
  const { body } = await http.request('/auth/login', {
    method: 'POST',
    body: { username, password },
  });
  return body as TokenPair;
}

export async function refresh(http: HttpClient, refreshToken: string): Promise<TokenPair> {
  const { body } = await http.request('/auth/refresh', {
    method: 'POST',
    body: { refresh_token: refreshToken },
  });
  return body as TokenPair;
}

/** Ends the refresh token on the server, so a copy of it left behind cannot be used. */
export async function logout(http: HttpClient, refreshToken: string): Promise<void> {
  await http.request('/auth/logout', {
    method: 'POST',
    body: { refresh_token: refreshToken },
  });
}

export async function currentUser(http: HttpClient, accessToken: string): Promise<User> {
  const { body } = await http.request('/auth/me', { token: accessToken });
  return body as User;
}
