import { api } from "../../../lib/api-client";
import type { InviteInfo, SignedIn, User } from "../../../types/api";

/** POST /auth/login {email, password}; the server also sets the session cookie. */
export function login(email: string, password: string): Promise<SignedIn> {
  return api.post<SignedIn>("/auth/login", { email, password });
}

/** POST /auth/logout: revokes this session and clears its cookie. */
export function logout(): Promise<void> {
  return api.post<void>("/auth/logout");
}

/** GET /me: the signed-in user (401 when nobody is). */
export function getMe(): Promise<User> {
  return api.get<User>("/me");
}

/** GET /auth/setup: whether the installation still needs its first account. */
export async function isSetupRequired(): Promise<boolean> {
  const data = await api.get<{ required: boolean }>("/auth/setup");
  return data.required;
}

/** POST /auth/setup: creates the first (admin) account and signs it in. */
export function setUp(email: string, password: string, name: string): Promise<SignedIn> {
  return api.post<SignedIn>("/auth/setup", { email, password, ...(name ? { name } : {}) });
}

/** GET /auth/invites/{token}: the invited address (404 when unknown, used or expired). */
export function getInvite(token: string): Promise<InviteInfo> {
  return api.get<InviteInfo>(`/auth/invites/${encodeURIComponent(token)}`);
}

/** POST /auth/invites/{token}: sets the password, activates the account and signs it in. */
export function acceptInvite(token: string, password: string, name: string): Promise<SignedIn> {
  return api.post<SignedIn>(`/auth/invites/${encodeURIComponent(token)}`, { password, ...(name ? { name } : {}) });
}
