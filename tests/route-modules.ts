/**
 * Every route module under app/routes, with its route id and a URL and params to call it with.
 * Used by the tests that walk all routes (guards, GET never writes).
 */
export type RouteModule = {
  loader?: (args: unknown) => unknown;
  action?: (args: unknown) => unknown;
  default?: unknown;
};

export type RouteEntry = { file: string; id: string; path: string; params: Record<string, string>; mod: RouteModule };

const modules = import.meta.glob<RouteModule>("../app/routes/**/*.{ts,tsx}", { eager: true });

function routeId(file: string): string | null {
  const rel = file.replace(/^.*\/app\/routes\//, "");
  const folder = rel.match(/^([^/]+)\/route\.tsx?$/);
  if (folder) return `routes/${folder[1]}`;
  if (rel.includes("/")) return null; // a helper inside a route folder, not a route
  return `routes/${rel.replace(/\.tsx?$/, "")}`;
}

/** A URL for the route id, with "1" for every dynamic segment. */
function urlFor(id: string): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const segments = id
    .replace(/^routes\//, "")
    .split(".")
    .filter((s) => s !== "_index" && !s.startsWith("_"))
    .map((s) => {
      if (s.startsWith("$")) {
        params[s.slice(1) || "*"] = "1";
        return "1";
      }
      return s.replace(/[[\]]/g, "").replace(/_$/, "");
    });
  return { path: `/${segments.join("/")}`, params };
}

export const ROUTES: RouteEntry[] = Object.entries(modules).flatMap(([file, mod]) => {
  const id = routeId(file);
  return id ? [{ file, id, mod, ...urlFor(id) }] : [];
});
