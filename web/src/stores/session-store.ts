import { createStore } from "../lib/create-store";
import type { User } from "../types/api";

/**
 * Who is using the app. `loading` until GET /me answers; `setup` while no account exists;
 * `sign-in` after a 401 (with an optional notice, e.g. after signing out).
 */
export type SessionState =
  | { status: "loading" }
  | { status: "unreachable"; message: string }
  | { status: "setup" }
  | { status: "sign-in"; notice: string | null }
  | { status: "signed-in"; user: User };

export const sessionStore = createStore<SessionState>({ status: "loading" });

export function signedIn(user: User): void {
  sessionStore.set({ status: "signed-in", user });
}

export function signInRequired(notice: string | null = null): void {
  sessionStore.set({ status: "sign-in", notice });
}

/** Replaces the signed-in user's details (after editing the profile). */
export function updateSignedInUser(user: User): void {
  sessionStore.set((s) => (s.status === "signed-in" && s.user.id === user.id ? { status: "signed-in", user } : s));
}
