import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkGraphRequest, findOperation, findUnknownBodyProperty, findUnknownParameter, isTypeOrSubtype, listProperties, resolveGraphPath, suggestName, suggestProperty,
} from "../../engine/contracts/graph-metadata";
import { buildGraphIndex } from "../../engine/contracts/graph-metadata/build";
import { readCsdl } from "../../scripts/graph-csdl";

describe("graph metadata index", () => {
  it("is what scripts/build-graph-index.ts makes from the vendored CSDL", () => {
    const committed = JSON.parse(readFileSync(join(__dirname, "../../engine/contracts/graph-metadata/graph-v1.0.index.json"), "utf8"));
    expect(buildGraphIndex(readCsdl())).toEqual(committed);
  });

  it("ships well under 1 MB", () => {
    expect(statSync(join(__dirname, "../../engine/contracts/graph-metadata/graph-v1.0.index.json")).size).toBeLessThan(900_000);
  });

  it("resolves paths with keys, {placeholders}, casts, navigation, $ref and bound actions", () => {
    expect(resolveGraphPath("/users/{id}")).toMatchObject({ ok: true, type: "user", kind: "key" });
    expect(resolveGraphPath("/users/{id}/memberOf/microsoft.graph.group")).toMatchObject({ ok: true, type: "group*", kind: "cast" });
    expect(resolveGraphPath("/groups/{g}/members/{u}/$ref")).toMatchObject({ ok: true, kind: "ref" });
    expect(resolveGraphPath("/users/{id}/authentication/phoneMethods/{m}")).toMatchObject({ ok: true, type: "phoneAuthenticationMethod" });
    expect(resolveGraphPath("/users('adele@contoso.com')/manager/$ref")).toMatchObject({ ok: true, kind: "ref" });
    const action = resolveGraphPath("/users/{id}/assignLicense");
    expect(action.ok && action.operation?.entry.parameters).toEqual(["addLicenses", "removeLicenses"]);
  });

  it("reports the first unknown segment with a did-you-mean", () => {
    expect(resolveGraphPath("/users/{id}/memberOff/x")).toEqual({ ok: false, unknownSegment: "memberOff", position: 2, parentType: "user", suggestion: "memberOf" });
    expect(resolveGraphPath("/userz")).toMatchObject({ ok: false, unknownSegment: "userz", suggestion: "users" });
    expect(resolveGraphPath("/users/{id}/zzzzzzzz")).toMatchObject({ ok: false, suggestion: undefined });
  });

  it("lists inherited properties and resolves base types", () => {
    const names = listProperties("user").map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["accountEnabled", "passwordProfile", "manager", "deletedDateTime", "id"]));
    expect(isTypeOrSubtype("user", "directoryObject")).toBe(true);
    expect(isTypeOrSubtype("directoryObject", "user")).toBe(false);
    expect(findOperation("user", "revokeSignInSessions")).toBeDefined();
  });

  it("finds misspelt body properties (nested too) and action parameters, ignoring annotations", () => {
    expect(findUnknownBodyProperty("user", { passwordProfle: {} })).toMatchObject({ name: "passwordProfle", owner: "user", suggestion: "passwordProfile" });
    expect(findUnknownBodyProperty("user", { passwordProfile: { forceChangePaswordNextSignIn: true } })).toMatchObject({ path: "passwordProfile.forceChangePaswordNextSignIn", owner: "passwordProfile" });
    expect(findUnknownBodyProperty("user", { accountEnabled: false, "manager@odata.bind": "x" })).toBeUndefined();
    const sendMail = findOperation("user", "sendMail")!;
    expect(findUnknownParameter("sendMail", sendMail, { message: {}, saveToSentItems: false })).toBeUndefined();
    expect(findUnknownParameter("sendMail", sendMail, { mesage: {} })).toMatchObject({ name: "mesage", suggestion: "Message" });
  });

  it("checks a whole request for the linter: segment, property and parameter problems with their lint codes", () => {
    expect(checkGraphRequest("PATCH", "/users/{upn}", { passwordProfile: { password: "{{x}}" } })).toBeUndefined();
    expect(checkGraphRequest("PATCH", "/users/{upn}", { passwordProfle: {} })).toEqual({
      kind: "property", name: "passwordProfle", owner: "microsoft.graph.user", location: "passwordProfle", suggestion: "passwordProfile", code: "SPEC_GRAPH_UNKNOWN_PROPERTY",
    });
    expect(checkGraphRequest("GET", "/groups/{groupId}/memebers")).toMatchObject({ kind: "segment", location: 2, suggestion: "members", code: "SPEC_GRAPH_UNKNOWN_SEGMENT" });
    expect(checkGraphRequest("POST", "/users/{id}/assignLicense", { addLicenses: [], removeLicences: [] })).toMatchObject({ kind: "parameter", owner: "assignLicense", suggestion: "removeLicenses" });
    // A placeholder where only a name can go is dynamic: no false alarm.
    expect(checkGraphRequest("DELETE", "/users/{id}/authentication/{methodsPath}/{methodId}")).toBeUndefined();
  });

  it("suggests only close names", () => {
    expect(suggestName("acountEnabled", ["accountEnabled", "displayName"])).toBe("accountEnabled");
    expect(suggestName("foo", ["id", "displayName"])).toBeUndefined();
    expect(suggestProperty("user", "usageLoction")).toBe("usageLocation");
    expect(suggestProperty("group", "memebers")).toBe("members");
  });

  it("builds the index from CSDL: aliases, base types, bound operations and the container", () => {
    const csdl = [
      '<Schema Namespace="microsoft.graph" Alias="graph" xmlns="x">',
      '<EntityType Name="entity" Abstract="true">',
      '<Property Name="id" Type="Edm.String" />',
      "</EntityType>",
      '<EntityType Name="widget" BaseType="graph.entity">',
      '<Property Name="size" Type="graph.dimensions" />',
      '<NavigationProperty Name="parts" Type="Collection(graph.widget)" />',
      "</EntityType>",
      '<ComplexType Name="dimensions">',
      '<Property Name="width" Type="Edm.Int32" />',
      "</ComplexType>",
      '<Action Name="spin" IsBound="true">',
      '<Parameter Name="bindingParameter" Type="graph.widget" />',
      '<Parameter Name="speed" Type="Edm.Int32" />',
      "</Action>",
      '<EntityContainer Name="GraphService">',
      '<EntitySet Name="widgets" EntityType="microsoft.graph.widget" />',
      "</EntityContainer>",
      "</Schema>",
    ].join("\n");
    const index = buildGraphIndex(csdl);
    expect(index.types.widget).toEqual({ kind: "entity", base: "entity", properties: { size: "dimensions" }, navigation: { parts: "widget*" } });
    expect(index.roots).toEqual({ widgets: "widget*" });
    expect(index.operations).toEqual({ widget: { spin: { kind: "action", parameters: ["speed"] } } });
  });
});
