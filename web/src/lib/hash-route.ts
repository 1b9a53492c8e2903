/**
 * The app's places, kept in the URL's hash so links and reloads land on the same screen
 * (the server serves index.html only at /): `#/projects/{id}`, `#/invite/{token}`,
 * `#/account`, `#/tokens`, `#/users`, `#/api`, `#/templates`, `#/templates/{id}`, `#/batches/{id}`,
 * `#/mixes`, `#/mixes/{id}` (`#/mixes/new`: a mix not saved yet);
 * anything else is the projects dashboard.
 */
export type Route =
  | { name: "projects" }
  | { name: "project"; id: string }
  | { name: "invite"; token: string }
  | { name: "account" }
  | { name: "tokens" }
  | { name: "users" }
  | { name: "api" }
  | { name: "templates" }
  | { name: "template"; id: string }
  | { name: "batch"; id: string }
  | { name: "mixes" }
  | { name: "mix"; id: string };

const pages = ["account", "tokens", "users", "api", "templates", "mixes"] as const;

/** `#/{segment}/{id}` places and the route each names. */
const withId = { projects: "project", templates: "template", batches: "batch", mixes: "mix" } as const;

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Reads a location hash (with or without its `#`). */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/[?].*$/, "");
  const parts = path.split("/").filter((part) => part !== "");
  const [first, second] = parts;
  if (parts.length === 2 && first === "invite") {
    const value = decode(second);
    if (value) return { name: "invite", token: value };
  }
  if (parts.length === 2 && Object.prototype.hasOwnProperty.call(withId, first)) {
    const value = decode(second);
    if (value) return { name: withId[first as keyof typeof withId], id: value };
  }
  if (parts.length === 1) {
    const page = pages.find((p) => p === first);
    if (page) return { name: page };
  }
  return { name: "projects" };
}

/** The hash for a route; the dashboard is the bare page (empty hash). */
export function routeHash(route: Route): string {
  switch (route.name) {
    case "projects":
      return "";
    case "project":
      return `#/projects/${encodeURIComponent(route.id)}`;
    case "template":
      return `#/templates/${encodeURIComponent(route.id)}`;
    case "batch":
      return `#/batches/${encodeURIComponent(route.id)}`;
    case "mix":
      return `#/mixes/${encodeURIComponent(route.id)}`;
    case "invite":
      return `#/invite/${encodeURIComponent(route.token)}`;
    default:
      return `#/${route.name}`;
  }
}

/** Whether two routes name the same place. */
export function sameRoute(a: Route, b: Route): boolean {
  return routeHash(a) === routeHash(b);
}
