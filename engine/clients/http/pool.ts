/**
 * undici's connection pool without the rest of the package: undici's entry also loads its fetch,
 * WebSocket, cookie, cache and mock modules, which nothing here uses, and evaluating them was some
 * 15 ms of every process start. The entry's one side effect the pool needs is done here the same
 * way: the request API (`pool.request`) put on the dispatchers' prototype. The version is pinned
 * by package-lock.json, which fixes where these modules live.
 */
import type * as Undici from "undici";

/* eslint-disable @typescript-eslint/no-require-imports */
const dispatcher = require("undici/lib/dispatcher/dispatcher") as { prototype: object };
Object.assign(dispatcher.prototype, require("undici/lib/api") as object);

export type Pool = Undici.Pool;
export const Pool = require("undici/lib/dispatcher/pool") as typeof Undici.Pool;
