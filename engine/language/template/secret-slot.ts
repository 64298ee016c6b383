/**
 * The `secrets` root at run time. A run's scope holds the secret settings' values under a symbol no
 * template can name, and `secrets` itself is a guard that refuses every read. Only a secret slot
 * of a step's input (the kind's `secretPaths`, compiled as a `secrets` node of the tree) renders
 * with the values in place. So a secret setting never renders into a message, path, query, header,
 * condition or output, even in a plan that lint never saw.
 */
import { IntentError } from "../../core/errors";

/** Where a run's scope keeps the secret settings' values. */
export const SECRET_VALUES: unique symbol = Symbol("secret settings");

function refused(name: string): IntentError {
  return new IntentError("SPEC_SECRET_NOT_ALLOWED", `A template read secrets.${name} where no secret may go; it was refused.`, {
    fix: "Use {{secrets.NAME}} only in a request or mail body (the step kind's secret inputs); `intents lint` shows where.",
  });
}

/** What `secrets` reads as outside a secret slot: every read is refused. */
export const GUARDED_SECRETS: object = new Proxy(Object.freeze(Object.create(null) as object), {
  get(_, key) {
    if (typeof key === "symbol") return undefined;
    throw refused(key);
  },
  has(_, key) {
    throw refused(String(key));
  },
  getOwnPropertyDescriptor(_, key) {
    throw refused(String(key));
  },
  ownKeys() {
    throw refused("*");
  },
});

const NONE: Readonly<Record<string, unknown>> = Object.freeze({});

/** The scope a secret slot renders with: `secrets` holds the values. */
export function revealSecrets(scope: object): object {
  const values = (scope as { [SECRET_VALUES]?: Record<string, unknown> })[SECRET_VALUES] ?? NONE;
  return Object.assign({}, scope, { secrets: values });
}

/** The scope a URL slot inside a secret slot renders with: `secrets` is guarded again. */
export function guardSecrets(scope: object): object {
  return Object.assign({}, scope, { secrets: GUARDED_SECRETS });
}
