/** GET /subscribedSkus (seats counted from assignments), POST /users/{id}/assignLicense, GET …/licenseDetails. */
import { badRequest, notFound } from "../graph/errors";
import { applySelect, contextUrl } from "../graph/odata";
import type { GraphResult, Route, RouteContext } from "../graph/types";
import { consumedUnits, findSku, findUser } from "../tenant/lookup";
import type { AssignedLicense, TenantState } from "../tenant/types";
import { LICENSE_WRITE, SKU_READ, USER_READ } from "./permissions";
import { DEFAULT_USER_PROPERTIES, userJson } from "./serialize";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function listSkus(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  const select = ctx.query.get("$select");
  const value = tenant.skus.map((sku) =>
    applySelect({
      accountName: tenant.organizationName ?? "Sandbox",
      accountId: tenant.tenantId,
      appliesTo: "User",
      capabilityStatus: sku.capabilityStatus,
      consumedUnits: consumedUnits(tenant, sku),
      id: `${tenant.tenantId}_${sku.skuId}`,
      prepaidUnits: { ...sku.prepaidUnits },
      servicePlans: sku.servicePlans.map((p) => ({ ...p })),
      skuId: sku.skuId,
      skuPartNumber: sku.skuPartNumber,
      subscriptionIds: [],
    }, select),
  );
  return { status: 200, body: { "@odata.context": contextUrl(ctx, "subscribedSkus"), value } };
}

interface LicenseRequest {
  add: AssignedLicense[];
  remove: string[];
}

/** Reads the body in Graph's order of complaints: missing arrays, then malformed GUIDs. */
function readLicenseRequest(body: unknown): LicenseRequest | GraphResult {
  const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const missing = ["addLicenses", "removeLicenses"].filter((k) => !Array.isArray(record[k]));
  if (missing.length > 0) {
    return badRequest(`One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: ${missing.join(", ")}.`);
  }
  const malformed = badRequest("Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details");
  const add: AssignedLicense[] = [];
  for (const item of record.addLicenses as unknown[]) {
    const license = (item ?? {}) as Record<string, unknown>;
    const disabled = license.disabledPlans ?? [];
    if (typeof license.skuId !== "string" || !GUID.test(license.skuId) || !Array.isArray(disabled)) return malformed;
    if (!disabled.every((p) => typeof p === "string" && GUID.test(p))) return malformed;
    add.push({ skuId: license.skuId.toLowerCase(), disabledPlans: disabled as string[] });
  }
  const remove = record.removeLicenses as unknown[];
  if (!remove.every((id) => typeof id === "string" && GUID.test(id))) return malformed;
  return { add, remove: (remove as string[]).map((id) => id.toLowerCase()) };
}

/** The first rule the change breaks: usage location, unknown SKU, removing what is not assigned, seats. */
function licenseProblem(tenant: TenantState, assigned: AssignedLicense[], usageLocation: string | null | undefined, request: LicenseRequest): GraphResult | undefined {
  if (request.add.length > 0 && !usageLocation) return badRequest("License assignment cannot be done for user with invalid usage location.");
  for (const { skuId } of request.add) {
    if (!findSku(tenant, skuId)) return badRequest(`License ${skuId} does not correspond to a valid company License.`);
  }
  for (const skuId of request.remove) {
    if (!assigned.some((l) => l.skuId.toLowerCase() === skuId)) return badRequest("User does not have a corresponding license.");
  }
  for (const { skuId } of request.add) {
    if (assigned.some((l) => l.skuId.toLowerCase() === skuId)) continue; // updating plans takes no seat
    const sku = findSku(tenant, skuId);
    if (sku && sku.prepaidUnits.enabled - consumedUnits(tenant, sku) <= 0) return badRequest(`Subscription with SKU ${skuId} does not have any available licenses.`);
  }
  return undefined;
}

function assignLicense(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  const user = findUser(tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  const request = readLicenseRequest(ctx.body);
  if ("status" in request) return request;
  const problem = licenseProblem(tenant, user.assignedLicenses, user.usageLocation, request);
  if (problem) return problem;
  const addedIds = new Set(request.add.map((l) => l.skuId));
  user.assignedLicenses = [
    ...user.assignedLicenses.filter((l) => !request.remove.includes(l.skuId.toLowerCase()) && !addedIds.has(l.skuId.toLowerCase())),
    ...request.add,
  ];
  const body = applySelect(userJson(user), null, [...DEFAULT_USER_PROPERTIES, "assignedLicenses"]);
  return { status: 200, body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#users/$entity`, ...body } };
}

function licenseDetails(ctx: RouteContext): GraphResult {
  const tenant = ctx.env.tenant;
  const user = findUser(tenant, ctx.params.id as string);
  if (!user) return notFound(ctx.params.id as string);
  const value = user.assignedLicenses.map((license) => {
    const sku = findSku(tenant, license.skuId);
    return {
      id: `${user.id}_${license.skuId}`,
      skuId: license.skuId,
      skuPartNumber: sku?.skuPartNumber ?? null,
      servicePlans: (sku?.servicePlans ?? []).map((p) => ({ ...p, provisioningStatus: license.disabledPlans.includes(p.servicePlanId) ? "Disabled" : p.provisioningStatus })),
    };
  });
  return { status: 200, body: { "@odata.context": `${ctx.env.graphBaseUrl}/$metadata#users('${user.id}')/licenseDetails`, value } };
}

export const LICENSE_ROUTES: Route[] = [
  { method: "GET", pattern: "/users/:id/licenseDetails", permissions: USER_READ, handler: licenseDetails },
  { method: "GET", pattern: "/subscribedSkus", permissions: SKU_READ, handler: listSkus },
  { method: "POST", pattern: "/users/:id/assignLicense", permissions: LICENSE_WRITE, handler: assignLicense },
];
