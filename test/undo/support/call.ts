import type { LocalServer } from "../../../engine/hosts/local/http-adapter";

/** A request to the local server with the shared secret, its status and JSON answer (the server is read at call time: it starts in beforeAll). */
export function callerOf(server: () => LocalServer, secret: string) {
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const response = await fetch(server().url + path, {
      method, headers: { "x-intent-secret": secret, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json() };
  };
}
