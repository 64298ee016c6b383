/**
 * The names an intent declares its identity needs: Graph application permissions as Microsoft's
 * permission reference spells them, Entra built-in roles, Exchange Online role groups. A misspelt
 * name would pass review and fail at deployment, when the grant script cannot find it.
 */
import { ENTRA_ROLES, EXCHANGE_ROLE_GROUPS } from "../../contracts/directory-roles";
import { effectivePermissions, permissionIndex, permissionKind, requiredPermissions } from "../../contracts/graph-permissions";
import type { KindSpecs } from "../../core/step-kind-registry";
import { suggestName } from "../../contracts/graph-metadata/suggest";
import type { Report } from "./report";
import type { IntentSpec } from "./types";

/** The closest spelling, else the one name that starts the same way ("User Admin" → User Administrator). */
function didYouMean(name: string, candidates: Iterable<string>): string {
  const list = [...candidates];
  const prefixed = list.filter((candidate) => candidate.toLowerCase().startsWith(name.toLowerCase()));
  const suggestion = suggestName(name, list) ?? (prefixed.length === 1 ? prefixed[0] : undefined);
  return suggestion ? `; did you mean ${suggestion}?` : "";
}

export function checkPermissionNames(spec: IntentSpec, report: Report): void {
  const permissions = spec.permissions ?? {};
  (permissions.graph ?? []).forEach((name, i) => {
    if (typeof name !== "string") return;
    const kind = permissionKind(name);
    if (kind === "application") return;
    const at = ["permissions", "graph", i];
    if (kind === "delegated") {
      const application = `${name}.All`;
      const hint = permissionKind(application) === "application" ? `; the application form is ${application}` : "";
      report("SPEC_UNKNOWN_PERMISSION", `"${name}" is a delegated permission: the app calls Graph as itself, with no signed-in user, so it needs an application permission${hint}`, at);
      return;
    }
    report("SPEC_UNKNOWN_PERMISSION", `"${name}" is not a Microsoft Graph permission${didYouMean(name, permissionIndex().application)}`, at);
  });
  (permissions.entraRoles ?? []).forEach((name, i) => {
    if (typeof name !== "string" || ENTRA_ROLES.has(name)) return;
    report("SPEC_UNKNOWN_PERMISSION", `"${name}" is not a Microsoft Entra built-in role${didYouMean(name, ENTRA_ROLES.keys())}`, ["permissions", "entraRoles", i]);
  });
  (permissions.exchangeRoles ?? []).forEach((name, i) => {
    if (typeof name !== "string" || EXCHANGE_ROLE_GROUPS.has(name) || ENTRA_ROLES.has(name)) return;
    report("SPEC_UNKNOWN_PERMISSION", `"${name}" is not an Exchange Online role group or an Entra role${didYouMean(name, [...EXCHANGE_ROLE_GROUPS, ...ENTRA_ROLES.keys()])}`, ["permissions", "exchangeRoles", i]);
  });
}

/**
 * Least privilege, derived from the requests: every Graph request a step sends needs one of the
 * application permissions Microsoft's reference says grant it, and the intent must declare one
 * of them (or one that includes it). A request the reference does not know is not judged.
 */
export function checkPermissionCoverage(spec: IntentSpec, kinds: KindSpecs, report: Report): void {
  const declaredNames = (spec.permissions?.graph ?? []).filter((name): name is string => typeof name === "string");
  // A misspelt name is reported as such; judging the requests against it would only say it twice.
  if (declaredNames.some((name) => permissionKind(name) !== "application")) return;
  const declared = effectivePermissions(declaredNames);
  (Array.isArray(spec.steps) ? spec.steps : []).forEach((step, index) => {
    const kind = typeof step?.kind === "string" ? kinds.find(step.kind) : undefined;
    if (!kind?.graphRequests) return;
    // adopt's find and replace are requests of the step's own kind, sent by the same application.
    const adopt = (step.adopt ?? {}) as { find?: unknown; replace?: unknown };
    const inputs: Array<[unknown, Array<string | number>]> = [[step.with ?? {}, ["with"]]];
    if (adopt.find && typeof adopt.find === "object") inputs.push([adopt.find, ["adopt", "find"]]);
    if (adopt.replace && typeof adopt.replace === "object") inputs.push([adopt.replace, ["adopt", "replace"]]);
    for (const [input, under] of inputs) {
      for (const request of kind.graphRequests(input)) {
        const required = requiredPermissions(request.method, request.path);
        if (!required || required.grantedBy.some((name) => declared.has(name))) continue;
        const least = required.least.length > 0 ? required.least : required.grantedBy;
        const shown = least.length > 3 ? `${least.slice(0, 3).join(", ")} or another of ${least.length}` : least.join(" or ");
        const has = declaredNames.length > 0 ? `; it declares ${declaredNames.join(", ")}` : "; it declares none (permissions.graph)";
        const at = request.at.length > 0 ? ["steps", index, ...under, ...request.at] : ["steps", index, "kind"];
        report("SPEC_PERMISSION_MISSING", `${request.method.toUpperCase()} ${request.path} needs a Graph application permission this intent does not declare: ${shown} (least privileged)${has}`, at);
      }
    }
  });
}
