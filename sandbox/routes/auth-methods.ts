/**
 * /users/{id}/authentication: list methods, list and delete per type, create a Temporary Access
 * Pass. The default MFA method goes last (reference §4), and the password method is never deleted.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { graphError, notFound } from "../graph/errors";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import { findUser } from "../tenant/lookup";
import type { AuthenticationMethodRecord, AuthenticationMethodType } from "../tenant/types";
import { AUTH_METHOD_READ, AUTH_METHOD_WRITE } from "./permissions";

/** Path segment under /authentication → method type. */
const SEGMENT_TYPES: Record<string, AuthenticationMethodType> = {
  passwordmethods: "password",
  phonemethods: "phone",
  emailmethods: "email",
  fido2methods: "fido2",
  microsoftauthenticatormethods: "microsoftAuthenticator",
  softwareoathmethods: "softwareOath",
  windowshelloforbusinessmethods: "windowsHelloForBusiness",
  temporaryaccesspassmethods: "temporaryAccessPass",
};

const ALTERNATE_MOBILE_ID = "b6332ec1-7057-4abe-9331-3d72feddfe41";
const MOBILE_ID = "3179e48a-750b-4051-897c-87b9720928f7";

function badRequestLower(message: string): GraphResult {
  // The authentication-methods service uses lower-case codes and repeats the message inside innerError.
  return graphError(400, "badRequest", message, { innerError: { message } });
}

function methodJson(method: AuthenticationMethodRecord): Record<string, unknown> {
  return { "@odata.type": `#microsoft.graph.${method.type}AuthenticationMethod`, id: method.id, ...(method.properties ?? {}) };
}

function methodType(ctx: RouteContext): AuthenticationMethodType | undefined {
  return SEGMENT_TYPES[(ctx.params.kind as string).toLowerCase()];
}

function listMethods(ctx: RouteContext, onlyType?: AuthenticationMethodType): GraphResult {
  const user = findUser(ctx.env.tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  const methods = user.authenticationMethods.filter((m) => !onlyType || m.type === onlyType);
  return { status: 200, body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#users('${user.id}')/authentication/methods`, value: methods.map(methodJson) } };
}

function deleteMethod(ctx: RouteContext): GraphResult {
  const user = findUser(ctx.env.tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  const type = methodType(ctx);
  if (!type) return notFound(ctx.params.kind as string);
  if (type === "password") return graphError(405, "methodNotAllowed", "The password authentication method cannot be deleted; reset the password instead.");
  const methodId = ctx.params.methodId as string;
  const method = user.authenticationMethods.find((m) => m.type === type && m.id.toLowerCase() === methodId.toLowerCase());
  if (!method) return notFound(methodId);
  const others = user.authenticationMethods.filter((m) => m !== method && m.type !== "password");
  if (user.defaultAuthenticationMethodId === method.id && others.length > 0) {
    return badRequestLower("Cannot delete default method with other methods configured. Please change default method before deletion.");
  }
  if (method.id === MOBILE_ID && user.authenticationMethods.some((m) => m.id === ALTERNATE_MOBILE_ID)) {
    return badRequestLower("Cannot delete the mobile phone method while an alternate mobile phone method exists. Delete the alternate mobile phone first.");
  }
  user.authenticationMethods = user.authenticationMethods.filter((m) => m !== method);
  if (user.defaultAuthenticationMethodId === method.id) user.defaultAuthenticationMethodId = null;
  return { status: 204 };
}

function createTemporaryAccessPass(ctx: RouteContext): GraphResult {
  const user = findUser(ctx.env.tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const lifetime = body.lifetimeInMinutes ?? 60;
  if (typeof lifetime !== "number" || !Number.isInteger(lifetime) || lifetime < 10 || lifetime > 43200) {
    return badRequestLower("The lifetimeInMinutes value must be between 10 and 43200.");
  }
  if (user.authenticationMethods.some((m) => m.type === "temporaryAccessPass")) {
    return badRequestLower("The user already has a Temporary Access Pass. Delete it before creating a new one.");
  }
  const now = new Date(ctx.env.now()).toISOString();
  const stored: AuthenticationMethodRecord = {
    id: randomUUID(),
    type: "temporaryAccessPass",
    properties: {
      createdDateTime: now,
      startDateTime: typeof body.startDateTime === "string" ? body.startDateTime : now,
      lifetimeInMinutes: lifetime,
      isUsableOnce: body.isUsableOnce === true,
      isUsable: true,
      methodUsabilityReason: "EnabledByPolicy",
    },
  };
  user.authenticationMethods.push(stored);
  // The pass is shown once, in this answer, and never stored (like Graph).
  const temporaryAccessPass = randomBytes(6).toString("base64url");
  ctx.env.onCredential?.({ userPrincipalName: user.userPrincipalName, kind: "temporaryAccessPass", value: temporaryAccessPass });
  return {
    status: 201,
    body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`, ...methodJson(stored), temporaryAccessPass },
  };
}

export const AUTH_METHOD_ROUTES: Route[] = [
  { method: "GET", pattern: "/users/:id/authentication/methods", permissions: AUTH_METHOD_READ, handler: (ctx) => listMethods(ctx) },
  { method: "POST", pattern: "/users/:id/authentication/temporaryAccessPassMethods", permissions: AUTH_METHOD_WRITE, handler: createTemporaryAccessPass },
  {
    method: "GET", pattern: "/users/:id/authentication/:kind", permissions: AUTH_METHOD_READ,
    handler: (ctx) => { const type = methodType(ctx); return type ? listMethods(ctx, type) : notFound(ctx.params.kind as string); },
  },
  { method: "DELETE", pattern: "/users/:id/authentication/:kind/:methodId", permissions: AUTH_METHOD_WRITE, handler: deleteMethod },
];
