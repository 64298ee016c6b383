/** Requester policy reads users before every webhook run, so every intent's permissions must let it. */
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";
import { grantedBy } from "../../engine/tooling/permissions/permissions";

describe("the permissions requester policy needs", () => {
  it.each(loadCatalog(builtinKindSpecs()).intents.map((intent) => [intent.name, intent] as const))("%s declares User.Read.All or a permission that grants it", (_name, intent) => {
    const granted = intent.permissions.graph.flatMap((permission) => [permission, ...grantedBy(permission)]);
    expect(granted).toContain("User.Read.All");
  });
});
