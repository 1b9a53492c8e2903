import { api } from "../../../lib/api-client";
import type { ApiToken, CreatedApiToken, TokenScope } from "../../../types/api";

/** GET /tokens: this user's API tokens, newest first (never their secrets). */
export async function listTokens(): Promise<ApiToken[]> {
  return (await api.get<ApiToken[]>("/tokens")) ?? [];
}

/** POST /tokens: the answer carries the secret, the only time it is shown. */
export function createToken(name: string, scope: TokenScope, expiresInDays: number | null): Promise<CreatedApiToken> {
  return api.post<CreatedApiToken>("/tokens", { name, scope, expiresInDays });
}

/** DELETE /tokens/{id}: the token stops working at once. */
export function revokeToken(id: string): Promise<void> {
  return api.delete<void>(`/tokens/${encodeURIComponent(id)}`);
}
