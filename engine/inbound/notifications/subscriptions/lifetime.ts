/**
 * How long a subscription may live, per resource (Graph's "maximum length of subscription per
 * resource type"), and when to renew it: a quarter of its lifetime before expiry, so a timer that
 * runs every few hours has many chances before Graph drops it.
 */
const MINUTE = 60_000;

const MAX_LIFETIME_MINUTES: Record<string, number> = {
  users: 41_760, // just under 29 days
  groups: 41_760,
};

/** Asked for a little short of the maximum, so clock skew never makes Graph refuse the date. */
const SAFETY_MS = 5 * MINUTE;

export function maxLifetimeMs(resource: string): number {
  const collection = resource.split("/")[0] ?? "";
  return (MAX_LIFETIME_MINUTES[collection] ?? 60) * MINUTE;
}

export function expiryFrom(now: number, resource: string): string {
  return new Date(now + maxLifetimeMs(resource) - SAFETY_MS).toISOString();
}

export function needsRenewal(now: number, resource: string, expiresAt: string): boolean {
  return Date.parse(expiresAt) - now <= maxLifetimeMs(resource) / 4;
}
