import { createStore } from "../lib/create-store";

export type NotificationTone = "info" | "success" | "error";

export interface Notification {
  id: number;
  tone: NotificationTone;
  message: string;
}

/** Transient toasts shown in the corner of the app. */
export const notificationsStore = createStore<Notification[]>([]);

let nextId = 1;

export function notify(message: string, tone: NotificationTone = "info", timeoutMs = 5000): void {
  const id = nextId++;
  notificationsStore.set((list) => [...list.slice(-3), { id, tone, message }]);
  window.setTimeout(() => dismissNotification(id), timeoutMs);
}

export function dismissNotification(id: number): void {
  notificationsStore.set((list) => list.filter((n) => n.id !== id));
}
