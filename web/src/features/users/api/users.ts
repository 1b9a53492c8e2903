import { api } from "../../../lib/api-client";
import type { Invitation, User, UserRole } from "../../../types/api";

/** GET /users (admins only). */
export async function listUsers(): Promise<User[]> {
  return (await api.get<User[]>("/users")) ?? [];
}

/** POST /users: creates an invited account and answers its one-time link. */
export function inviteUser(email: string, role: UserRole): Promise<Invitation> {
  return api.post<Invitation>("/users", { email, role });
}

/** POST /users/{id}/invite: a fresh link for someone who has not accepted (older links stop working). */
export function reissueInvite(id: string): Promise<Invitation> {
  return api.post<Invitation>(`/users/${encodeURIComponent(id)}/invite`);
}

/** PATCH /users/{id}: disable/enable or change the role; 409 when it would lock everyone out. */
export function updateUser(id: string, change: { disabled?: boolean; role?: UserRole }): Promise<User> {
  return api.patch<User>(`/users/${encodeURIComponent(id)}`, change);
}

/** DELETE /users/{id}: the account and its projects, renders and files. */
export function deleteUser(id: string): Promise<void> {
  return api.delete<void>(`/users/${encodeURIComponent(id)}`);
}
