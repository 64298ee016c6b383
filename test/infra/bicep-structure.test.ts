import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INFRA_DIR, blockAt, modules, objectEntries, outputs, params, readBicep, resourceTypes, variableBlock } from "./bicep-reader";

const files = ["main.bicep", ...readdirSync(join(INFRA_DIR, "app")).map((f) => `app/${f}`)];
const sources = new Map(files.map((f) => [f, readBicep(f)]));
const main = sources.get("main.bicep") as string;

describe("module wiring (what `bicep build` would check)", () => {
  for (const [file, source] of sources) {
    for (const use of modules(source, file)) {
      it(`${file}: module ${use.symbol} exists and gets exactly the params it declares`, () => {
        expect(existsSync(join(INFRA_DIR, use.file))).toBe(true);
        const declared = params(readBicep(use.file));
        const unknown = use.params.filter((p) => !declared.some((d) => d.name === p));
        const missing = declared.filter((d) => !d.hasDefault && !use.params.includes(d.name)).map((d) => d.name);
        expect({ unknown, missing }).toEqual({ unknown: [], missing: [] });
      });
    }
  }

  it("every module under infra/app is used by main.bicep", () => {
    const used = modules(main, "main.bicep").map((m) => m.file);
    expect(used.sort()).toEqual(files.filter((f) => f !== "main.bicep").sort());
  });

  it("main.parameters.json sets every required parameter and nothing main.bicep lacks", () => {
    const file = JSON.parse(readFileSync(join(INFRA_DIR, "main.parameters.json"), "utf8")) as { parameters: Record<string, unknown> };
    const declared = params(main);
    const given = Object.keys(file.parameters);
    expect(given.filter((g) => !declared.some((d) => d.name === g))).toEqual([]);
    expect(declared.filter((d) => !d.hasDefault && !given.includes(d.name)).map((d) => d.name)).toEqual([]);
  });

  it("names every resource with a type and a dated, non-preview API version", () => {
    const all = [...sources.values()].flatMap(resourceTypes);
    expect(all.length).toBeGreaterThan(15);
    for (const r of all) expect(r.apiVersion, `${r.symbol} ${r.type}`).toMatch(/^20\d\d-\d\d-\d\d$/);
  });
});

describe("no key or secret in settings or outputs", () => {
  it("never lists keys, secrets or connection strings of any resource", () => {
    for (const [file, source] of sources) {
      expect(source, file).not.toMatch(/\blist(Keys|Secrets|ConnectionStrings|AccountSas|ServiceSas)\s*\(/);
      expect(source, file).not.toMatch(/AccountKey=/);
    }
  });

  it("outputs names and ids only, never the secret parameter or a key", () => {
    const secureParams = [...sources.values()].flatMap((s) =>
      [...s.matchAll(/@secure\(\)[^\n]*\n(?:@[^\n]*\n)*param (\w+)/g)].map((m) => m[1] as string),
    );
    expect(secureParams).toContain("intentSharedSecret");
    // App Insights' connection string only locates the ingestion endpoint: with local auth
    // disabled it grants nothing. It stays between modules and never reaches main's outputs.
    expect(readBicep("app/monitoring.bicep")).toMatch(/DisableLocalAuth: true/);
    const notCredentials = new Set(["app/monitoring.bicep:connectionString"]);
    expect(outputs(main).map((o) => o.value).join("\n")).not.toMatch(/connectionString/i);
    for (const [file, source] of sources) {
      for (const out of outputs(source)) {
        if (notCredentials.has(`${file}:${out.name}`)) continue;
        expect(out.name, `${file} output ${out.name}`).not.toMatch(/(key|keys|password|connectionString|token|secret|sas)$/i);
        for (const p of secureParams) expect(out.value, `${file} output ${out.name}`).not.toMatch(new RegExp(`\\b${p}\\b`));
      }
    }
  });

  it("turns shared-key access off and keeps the vault in RBAC mode with purge protection", () => {
    expect(readBicep("app/storage.bicep")).toMatch(/allowSharedKeyAccess: false/);
    const vault = readBicep("app/keyvault.bicep");
    expect(vault).toMatch(/enableRbacAuthorization: true/);
    expect(vault).toMatch(/enablePurgeProtection: true/);
    expect(vault).not.toMatch(/accessPolicies/);
    expect(vault).toMatch(/resource sharedSecret 'Microsoft\.KeyVault\/vaults\/secrets@[^']+' = if \(!empty\(sharedSecretValue\)\) \{\s*parent: vault\s*name: sharedSecretName/);
  });
});

describe("identity and roles", () => {
  const rbac = readBicep("app/rbac.bicep");
  // Built-in role ids from Azure's documentation; the names are what the issue asks for.
  const expected: Array<[string, string, string]> = [
    ["Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "storage"],
    ["Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "storage"],
    ["Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "storage"],
    ["Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6", "vault"],
    ["Automation Job Operator", "4fe576fe-1146-4730-92eb-48519fa6bf9f", "automation"],
    ["Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb", "appInsights"],
  ];

  for (const [role, id, scope] of expected) {
    it(`assigns ${role} to the Function App identity on ${scope}`, () => {
      const key = new RegExp(`(\\w+): '${id}'`).exec(rbac)?.[1];
      expect(key, role).toBeDefined();
      const uses = [...rbac.matchAll(/^resource \w+ 'Microsoft\.Authorization\/roleAssignments@[^']+' = /gm)].map((m) =>
        blockAt(rbac, m.index ?? 0),
      );
      const inLoop = uses.some((u) => u.includes(`scope: ${scope}`) && /for roleId in storageRoles/.test(u)) &&
        new RegExp(`storageRoles = \\[[^\\]]*roles\\.${key}\\b`).test(rbac);
      const direct = uses.some((u) => u.includes(`scope: ${scope}\n`) && u.includes(`roles.${key})`) && u.includes("principalId: functionPrincipalId"));
      expect(inLoop || direct, role).toBe(true);
    });
  }

  it("lets the operator (only when given) read the tables with Entra ID, never write them", () => {
    const at = rbac.indexOf("resource operatorTableReader");
    expect(at).toBeGreaterThan(0);
    const assignment = rbac.slice(at).split(/\n(?=resource )/)[0] ?? "";
    expect(assignment).toMatch(/= if \(!empty\(operatorPrincipalId\)\) \{\s*scope: storage\n/);
    expect(assignment).toMatch(/principalId: operatorPrincipalId[\s\S]*roles\.storageTableDataReader\)/);
    expect(rbac).toMatch(/storageTableDataReader: '76199698-9eea-4c19-bc75-cec21354c6b6'/);
  });

  it("gives the Function App and the Automation account system-assigned identities and outputs their principal ids", () => {
    expect(readBicep("app/functionapp.bicep")).toMatch(/identity: \{ type: 'SystemAssigned' \}/);
    expect(readBicep("app/automation.bicep")).toMatch(/identity: \{ type: 'SystemAssigned' \}/);
    const names = outputs(main).map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(["webhookUrl", "functionPrincipalId", "automationPrincipalId"]));
    expect(outputs(main).find((o) => o.name === "webhookUrl")?.value).toMatch(/^'https:\/\/\$\{functionApp\.outputs\.defaultHostName\}\/api\/intent'$/);
  });
});

describe("Function App", () => {
  const app = readBicep("app/functionapp.bicep");

  it("runs Node 22 on Flex Consumption with identity-based deployment storage", () => {
    expect(app).toMatch(/sku: \{ name: 'FC1', tier: 'FlexConsumption' \}/);
    expect(app).toMatch(/runtime: \{ name: 'node', version: '22' \}/);
    expect(app).toMatch(/authentication: \{ type: 'SystemAssignedIdentity' \}/);
  });

  it("allows Thread's addresses then denies everything, and denies the SCM site to Any", () => {
    expect(app).toMatch(/ipSecurityRestrictionsDefaultAction: 'Deny'/);
    expect(app).toMatch(/scmIpSecurityRestrictionsDefaultAction: 'Deny'/);
    expect(app).toMatch(/scmIpSecurityRestrictionsUseMain: false/);
    const anyRules = [...app.matchAll(/ipAddress: 'Any'\s*\n\s*action: '(\w+)'/g)].map((m) => m[1]);
    expect(anyRules).toEqual(["Deny", "Deny"]);
    const defaults = blockAt(main, main.indexOf("param allowedIpAddresses"));
    const ips = [...defaults.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(ips).toHaveLength(6);
    for (const ip of ips) expect(ip).toMatch(/^(\d{1,3}\.){3}\d{1,3}$/);
  });

  it("lets Graph's change notifications in only from the sources the deployment names, between Thread's rules and deny-all", () => {
    for (const name of ["notificationSourceAddresses", "notificationSourceServiceTags"]) {
      expect(main, name).toMatch(new RegExp(`^param ${name} array = \\[\\]$`, "m"));
      expect(blockAt(main, main.indexOf("module functionApp")), name).toContain(`${name}: ${name}`);
    }
    expect(app).toMatch(/ipSecurityRestrictions: concat\(threadRules, notificationAddressRules, notificationTagRules, consoleRules, \[/);
    const rules = (name: string): string => blockAt(app, app.search(new RegExp(`^var ${name} = `, "m")));
    const priority = (name: string): number => Number(/priority: (\d+)/.exec(rules(name))?.[1]);
    expect(rules("notificationAddressRules")).toMatch(/for \(ip, i\) in notificationSourceAddresses:[\s\S]*action: 'Allow'/);
    expect(rules("notificationTagRules")).toMatch(/for \(tag, i\) in notificationSourceServiceTags:[\s\S]*tag: 'ServiceTag'\s*ipAddress: tag\s*action: 'Allow'/);
    expect(rules("threadRules")).not.toMatch(/tag:/);
    // Thread's rules (up to 200 addresses) come first; the deny-all rule last.
    expect(priority("threadRules")).toBe(100);
    expect(priority("notificationAddressRules")).toBe(300);
    expect(priority("notificationTagRules")).toBe(400);
    expect(app).toMatch(/name: 'Deny-All'[\s\S]*priority: 2147483647/);
  });

  it("lets technicians reach the console only from the addresses the deployment names", () => {
    expect(main).toMatch(/^param consoleAllowedIpAddresses array = \[\]$/m);
    expect(blockAt(main, main.indexOf("module functionApp"))).toContain("consoleAllowedIpAddresses: consoleAllowedIpAddresses");
    const rules = blockAt(app, app.search(/^var consoleRules = /m));
    expect(rules).toMatch(/for \(ip, i\) in consoleAllowedIpAddresses:[\s\S]*action: 'Allow'\s*priority: 500 \+ i/);
  });

  it("signs technicians in with Entra ID (App Service Authentication), only the console group, without blocking the webhook", () => {
    const auth = blockAt(app, app.indexOf("resource consoleAuth"));
    expect(app).toMatch(/resource consoleAuth 'Microsoft\.Web\/sites\/config@[\d-]+' = if \(!empty\(consoleClientId\)\) \{/);
    expect(auth).toMatch(/name: 'authsettingsV2'/);
    expect(auth).toMatch(/platform: \{ enabled: true \}/);
    // The webhook (shared secret) and Graph's notifications (clientState) carry no Entra sign-in.
    expect(auth).toMatch(/requireAuthentication: false\s*unauthenticatedClientAction: 'AllowAnonymous'/);
    expect(auth).toMatch(/requireHttps: true/);
    expect(auth).toMatch(/openIdIssuer: '\$\{environment\(\)\.authentication\.loginEndpoint\}\$\{tenant\(\)\.tenantId\}\/v2\.0'/);
    expect(auth).toMatch(/allowedPrincipals: \{ groups: \[consoleGroupId\] \}/);
    expect(auth).not.toMatch(/clientSecret/);
    expect(objectEntries(variableBlock(main, "appSettings")).get("CONSOLE_GROUP_ID")).toBe("consoleGroupId");
    expect(outputs(main).find((o) => o.name === "consoleSignInRedirectUri")?.value).toBe("'https://${functionApp.outputs.defaultHostName}/.auth/login/aad/callback'");
  });

  it("reports whether Graph can reach the notifications URL, which deploy.sh turns into a warning", () => {
    expect(outputs(main).find((o) => o.name === "notificationsReachable")?.value).toBe("!empty(notificationSourceAddresses) || !empty(notificationSourceServiceTags)");
  });

  it("turns off publishing passwords for SCM and FTP", () => {
    expect([...app.matchAll(/basicPublishingCredentialsPolicies@[^']+' = \{\s*parent: site\s*name: '(\w+)'\s*properties: \{ allow: false \}/g)].map((m) => m[1])).toEqual(["scm", "ftp"]);
  });
});

describe("Automation account", () => {
  const automation = readBicep("app/automation.bicep");

  it("pins the ExchangeOnlineManagement module and sets the ExchangeOrganization variable", () => {
    expect(automation).toMatch(/package\/ExchangeOnlineManagement\/\$\{exchangeModuleVersion\}'/);
    expect(main).toMatch(/^param exchangeModuleVersion string = '\d+\.\d+\.\d+'$/m);
    expect(automation).toMatch(/name: 'ExchangeOrganization'[\s\S]*value: '"\$\{exchangeOrganization\}"'/);
  });

  it("declares runbooks only from the manifest (no runbook named in the template)", () => {
    const runbookResources = [...automation.matchAll(/^resource \w+ 'Microsoft\.Automation\/automationAccounts\/runbooks@[^']+' = (.*)$/gm)];
    expect(runbookResources).toHaveLength(1);
    expect(runbookResources[0]?.[1]).toBe("[");
    expect(blockAt(automation, runbookResources[0]?.index ?? 0)).toMatch(/for runbook in runbooks:[\s\S]*name: runbook\.name/);
    expect(main).toMatch(/loadJsonContent\('\.\.\/runbooks\/runbooks\.json'\)/);
  });
});
