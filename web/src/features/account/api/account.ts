import { api } from "../../../lib/api-client";
import type { User } from "../../../types/api";

/** PATCH /me {name} */
export function updateProfile(name: string): Promise<User> {
  return api.patch<User>("/me", { name });
}

/** POST /me/password: the server signs out every other session of this user. */
export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return api.post<void>("/me/password", { currentPassword, newPassword });
}
