import { parseRoute, routeHash, sameRoute, type Route } from "../lib/hash-route";
import { createStore } from "../lib/create-store";

/** The screen named by the URL's hash; follows back/forward through `hashchange`. */
export const routeStore = createStore<Route>(parseRoute(window.location.hash));

window.addEventListener("hashchange", () => {
  const next = parseRoute(window.location.hash);
  if (!sameRoute(next, routeStore.get())) routeStore.set(next);
});

/** Goes to a route, adding a history entry (or replacing the current one). */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  if (!sameRoute(route, routeStore.get())) routeStore.set(route);
  const hash = routeHash(route);
  if (window.location.hash === hash || (!hash && !window.location.hash)) return;
  const url = hash || window.location.pathname + window.location.search;
  if (options.replace) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
}

/** Opens a project's editor, or (null) the dashboard. */
export function selectProject(id: string | null): void {
  navigate(id ? { name: "project", id } : { name: "projects" });
}
