/** Formats seconds as mm:ss.f (e.g. 01:04.5); hours roll into the minutes. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return "--:--.-";
  const tenths = Math.round(seconds * 10);
  const minutes = Math.floor(tenths / 600);
  const rest = tenths - minutes * 600;
  const secs = Math.floor(rest / 10);
  return `${String(minutes).padStart(2, "0")}:${String(secs).padStart(2, "0")}.${rest % 10}`;
}

/** Formats a byte count as B/KB/MB/GB with one decimal. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return "";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Formats an ETA in seconds as "12s", "3m 05s" or "1h 02m". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Formats an ISO-8601 time in the user's locale, short. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** Formats an ISO-8601 time as a date in the user's locale (e.g. "Dec 5, 2026"). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/** Units of a relative time: name, the size from which it is used, its length in seconds. Days up to two months (a 30-day token reads "in 30 days"). */
const units: [string, number, number][] = [
  ["year", 365 * 86400, 365 * 86400],
  ["month", 60 * 86400, 30 * 86400],
  ["day", 86400, 86400],
  ["hour", 3600, 3600],
  ["minute", 60, 60],
];

/** "3 days ago", "in 30 days", "just now": the largest fitting unit, rounded to the nearest. */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now.getTime()) / 1000);
  const size = Math.abs(seconds);
  if (size < 60) return "just now";
  const [unit, , unitSeconds] = units.find(([, from]) => size >= from) ?? units[units.length - 1];
  const count = Math.round(size / unitSeconds);
  const text = `${count} ${unit}${count === 1 ? "" : "s"}`;
  return seconds < 0 ? `${text} ago` : `in ${text}`;
}

/** When a token or link stops working: "never", "expired", or "in 30 days". */
export function formatExpiry(expiresAt: string | null, now: Date = new Date()): string {
  if (expiresAt == null) return "never";
  const then = new Date(expiresAt).getTime();
  if (Number.isNaN(then)) return expiresAt;
  return then <= now.getTime() ? "expired" : formatRelative(expiresAt, now);
}

/** When something last happened: "never", or "2 hours ago". */
export function formatLastUsed(iso: string | null, now: Date = new Date()): string {
  return iso == null ? "never" : formatRelative(iso, now);
}
