import { api } from "../../../lib/api-client";

/** POST /auth/login {email, password}; the server also sets the session cookie. */
export function login(email: string, password: string): Promise<{ token: string }> {
  return api.post<{ token: string }>("/auth/login", { email, password });
}
