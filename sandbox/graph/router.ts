/** Matches a method and path to a route. Literal segments compare without case, as Graph's do. */
import type { Route } from "./types";

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Graph's path segments, decoded; `users('a@b.com')` becomes `users`, `a@b.com`. */
export function pathSegments(path: string): string[] {
  const segments: string[] = [];
  for (const raw of path.split("/")) {
    if (raw === "") continue;
    const keyed = /^([^(]+)\('(.*)'\)$/.exec(raw);
    const parts = keyed ? [keyed[1] as string, (keyed[2] as string).replace(/''/g, "'")] : [raw];
    for (const part of parts) {
      try {
        segments.push(decodeURIComponent(part));
      } catch {
        segments.push(part);
      }
    }
  }
  return segments;
}

export function createRouter(routes: readonly Route[]) {
  const compiled = routes.map((route) => ({ route, parts: route.pattern.split("/").filter(Boolean) }));
  return {
    /** The matching route, or undefined; `methodMismatch` says a route exists for another method. */
    match(method: string, segments: string[]): { found?: RouteMatch; methodMismatch: boolean } {
      let methodMismatch = false;
      for (const { route, parts } of compiled) {
        if (parts.length !== segments.length) continue;
        const params: Record<string, string> = {};
        const fits = parts.every((part, i) => {
          const segment = segments[i] as string;
          if (part.startsWith(":")) {
            params[part.slice(1)] = segment;
            return true;
          }
          return part.toLowerCase() === segment.toLowerCase();
        });
        if (!fits) continue;
        if (route.method === method) return { found: { route, params }, methodMismatch: false };
        methodMismatch = true;
      }
      return { methodMismatch };
    },
  };
}
