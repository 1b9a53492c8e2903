import { useStore } from "../lib/create-store";
import { dismissNotification, notificationsStore } from "../stores/notifications-store";

/** Renders transient notifications; polite live region so screen readers hear them. */
export function Toaster() {
  const notifications = useStore(notificationsStore);
  return (
    <div className="toaster" aria-live="polite">
      {notifications.map((n) => (
        <div key={n.id} className={`toast toast--${n.tone}`} role={n.tone === "error" ? "alert" : "status"}>
          <span>{n.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissNotification(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
