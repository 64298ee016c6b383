/**
 * The signed-in user as App Service Authentication hands them over: X-MS-CLIENT-PRINCIPAL, base64
 * JSON `{auth_typ, claims: [{typ, val}], name_typ, role_typ}`. App Service strips this header from
 * every incoming request and sets it itself only after validating the sign-in, so it is trusted
 * only where the platform says authentication is on (./settings.ts), never on a local server.
 */

export const PRINCIPAL_HEADER = "x-ms-client-principal";

export interface Principal {
  /** Entra object id. */
  id: string;
  /** UPN, preferred user name or display name. */
  name: string;
  /** Group object ids the token carried (the `groups` claim). */
  groups: string[];
  /** True when Entra sent a group overage marker instead of the groups (more than the token holds). */
  groupsOverage: boolean;
}

interface Claim {
  typ?: unknown;
  val?: unknown;
}

const OBJECT_ID = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"];
const NAMES = ["preferred_username", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "upn", "name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"];
const GROUPS = ["groups", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"];
const MAX_HEADER_CHARS = 64 * 1024;

/** The principal, or undefined when the header is missing, not base64 JSON, not Entra's, or has no object id. */
export function parsePrincipal(header: string | null): Principal | undefined {
  if (!header || header.length > MAX_HEADER_CHARS) return undefined;
  let decoded: { auth_typ?: unknown; claims?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(header, "base64").toString("utf8")) as typeof decoded;
  } catch {
    return undefined;
  }
  if (decoded?.auth_typ !== "aad" || !Array.isArray(decoded.claims)) return undefined;
  const claims = (decoded.claims as Claim[]).filter((claim) => typeof claim?.typ === "string" && typeof claim.val === "string") as Array<{ typ: string; val: string }>;
  const first = (types: readonly string[]) => types.map((type) => claims.find((claim) => claim.typ === type)?.val).find((value) => value);
  const id = first(OBJECT_ID);
  if (!id) return undefined;
  return {
    id,
    name: first(NAMES) ?? id,
    groups: claims.filter((claim) => GROUPS.includes(claim.typ)).map((claim) => claim.val.toLowerCase()),
    groupsOverage: claims.some((claim) => claim.typ === "_claim_names" && claim.val.includes("groups")),
  };
}

/** A principal header as App Service would set it, for tests and the README's example. */
export function principalHeader(principal: { id: string; name: string; groups: string[] }): string {
  const claims = [
    { typ: "http://schemas.microsoft.com/identity/claims/objectidentifier", val: principal.id },
    { typ: "preferred_username", val: principal.name },
    ...principal.groups.map((group) => ({ typ: "groups", val: group })),
  ];
  return Buffer.from(JSON.stringify({ auth_typ: "aad", claims, name_typ: "name", role_typ: "roles" }), "utf8").toString("base64");
}
