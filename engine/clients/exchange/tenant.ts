/**
 * The `tid` claim of an access token, read without validating the token (Exchange validates it):
 * a managed identity's token names its tenant, so a deployment need not repeat it in a setting.
 */
export function tenantOfToken(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const tid = (claims as { tid?: unknown } | null)?.tid;
    return typeof tid === "string" && tid !== "" ? tid : undefined;
  } catch {
    return undefined;
  }
}
