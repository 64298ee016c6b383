/** Reporting's settings: PSA_KIND and each PSA's settings, the requester mail switch, the webhook URL. */
import { describe, expect, it } from "vitest";
import { readPsaSettings } from "../../../engine/clients/psa/settings";
import { readReportSettings } from "../../../engine/lifecycle/report/settings";

describe("readPsaSettings", () => {
  it("is undefined without PSA_KIND, and refuses an unknown one", () => {
    expect(readPsaSettings({})).toBeUndefined();
    expect(() => readPsaSettings({ PSA_KIND: "servicenow" })).toThrow(expect.objectContaining({ code: "CONFIG_MISSING" }));
  });

  it("names every missing setting at once", () => {
    expect(() => readPsaSettings({ PSA_KIND: "ConnectWise", CONNECTWISE_COMPANY_ID: "contoso" })).toThrow(
      expect.objectContaining({ code: "CONFIG_MISSING", details: { missing: ["CONNECTWISE_BASE_URL", "CONNECTWISE_PUBLIC_KEY", "CONNECTWISE_CLIENT_ID"] } }),
    );
  });

  it("fills Autotask's and HaloPSA's defaults, and refuses a picklist value that is not a number", () => {
    expect(readPsaSettings({ PSA_KIND: "autotask", AUTOTASK_USERNAME: "api@x", AUTOTASK_INTEGRATION_CODE: "CODE" })).toMatchObject({
      kind: "autotask", apiBaseUrl: undefined, zoneLookupUrl: "https://webservices.autotask.net/ATServicesRest", noteType: 1, publishInternal: 2, publishCustomer: 1,
    });
    expect(() => readPsaSettings({ PSA_KIND: "autotask", AUTOTASK_USERNAME: "api@x", AUTOTASK_INTEGRATION_CODE: "CODE", AUTOTASK_PUBLISH_INTERNAL: "Internal" }))
      .toThrow(expect.objectContaining({ code: "CONFIG_MISSING" }));
    expect(readPsaSettings({ PSA_KIND: "halopsa", HALOPSA_BASE_URL: "https://contoso.halopsa.com", HALOPSA_CLIENT_ID: "id" })).toMatchObject({
      authUrl: undefined, tenant: undefined, outcomeInternal: "Private Note", outcomeCustomer: "Public Note",
    });
  });
});

describe("readReportSettings", () => {
  it("defaults to no mail, no webhook, 48 attempts", () => {
    expect(readReportSettings({})).toEqual({ requesterEmail: false, webhookUrl: undefined, maxAttempts: 48 });
    expect(readReportSettings({ REPORT_REQUESTER_EMAIL: "True", REPORT_MAX_ATTEMPTS: "3" })).toMatchObject({ requesterEmail: true, maxAttempts: 3 });
  });

  it("takes an https webhook, or http to this machine only", () => {
    expect(readReportSettings({ REPORT_WEBHOOK_URL: "https://hooks.example.com/x" }).webhookUrl).toBe("https://hooks.example.com/x");
    expect(readReportSettings({ REPORT_WEBHOOK_URL: "http://127.0.0.1:9000/x" }).webhookUrl).toBe("http://127.0.0.1:9000/x");
    for (const bad of ["http://hooks.example.com/x", "not a url", "ftp://x/y"]) {
      expect(() => readReportSettings({ REPORT_WEBHOOK_URL: bad })).toThrow(expect.objectContaining({ code: "CONFIG_MISSING" }));
    }
  });

  it("refuses what is neither true nor false, and attempts that are not a positive number", () => {
    expect(() => readReportSettings({ REPORT_REQUESTER_EMAIL: "yes" })).toThrow(expect.objectContaining({ code: "CONFIG_MISSING" }));
    expect(() => readReportSettings({ REPORT_MAX_ATTEMPTS: "0" })).toThrow(expect.objectContaining({ code: "CONFIG_MISSING" }));
  });
});
