/**
 * local.settings.sample.json is what a developer copies to local.settings.json for `func start`:
 * it must name every setting the Function App's modules and the shipped intents read (an empty
 * value = the setting's default), name nothing that nobody reads, and hold values the app accepts,
 * its figures being the code's own defaults.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseCredential } from "../../engine/clients/graph/auth";
import { readPsaSettings } from "../../engine/clients/psa/settings";
import { loadSettings } from "../../engine/hosts/config";
import { consoleAuthSettings } from "../../engine/inbound/console/auth/settings";
import { loadCatalog } from "../../engine/index";
import { builtinKindSpecs } from "../../engine/kinds";
import { readApprovalSettings } from "../../engine/lifecycle/approval/settings";
import { readReportSettings } from "../../engine/lifecycle/report/settings";
import { ROOT, loadedByFunctionApp, settingsReaders } from "./settings-scan";

type Values = Record<string, string | undefined>;

const sample = (JSON.parse(readFileSync(join(ROOT, "local.settings.sample.json"), "utf8")) as { Values: Record<string, string> }).Values;
const loaded = loadedByFunctionApp();
const readByApp = new Set([...settingsReaders()].filter(([file]) => loaded.has(file)).flatMap(([, names]) => names));
const readByIntents = new Set(loadCatalog(builtinKindSpecs()).intents.flatMap((intent) => intent.settings));

/** Read by the app but never set by hand: App Service sets them on every instance. */
const SET_BY_THE_PLATFORM: Record<string, string> = {
  WEBSITE_HOSTNAME: "the site's default host name",
  WEBSITE_INSTANCE_ID: "the instance the process runs on",
  WEBSITE_AUTH_ENABLED: "App Service Authentication's switch",
};

/** In the sample for the Functions host itself, not for our code. */
const FOR_THE_HOST = ["FUNCTIONS_WORKER_RUNTIME"];

/** Everything the app makes of a set of values, but for the raw copy of the plain settings. */
function parsed(values: Values): string {
  const { plain: _plain, ...settings } = loadSettings(values) as unknown as Record<string, unknown>;
  return JSON.stringify({
    settings,
    report: readReportSettings(values as Record<string, string>),
    approvals: readApprovalSettings(values),
    console: consoleAuthSettings(values),
    psa: readPsaSettings(values as Record<string, string>) ?? null,
    graphCredential: chooseCredential(values as Record<string, string>, settingsGraphBase(values)).kind,
  });
}

function settingsGraphBase(values: Values): string {
  return loadSettings(values).graphBaseUrl;
}

describe("local.settings.sample.json", () => {
  it("names every setting the Function App or a shipped intent reads", () => {
    expect(readByApp.size).toBeGreaterThan(50);
    const missing = [...readByApp, ...readByIntents].filter((name) => !(name in sample) && !(name in SET_BY_THE_PLATFORM));
    expect([...new Set(missing)].sort(), "add these to local.settings.sample.json (an empty value keeps the default)").toEqual([]);
  });

  it("names nothing that neither the app, the intents nor the host reads, and nothing the platform sets", () => {
    const unread = Object.keys(sample).filter((name) => !readByApp.has(name) && !readByIntents.has(name) && !FOR_THE_HOST.includes(name));
    expect(unread).toEqual([]);
    for (const name of Object.keys(SET_BY_THE_PLATFORM)) {
      expect(readByApp.has(name), `stale entry ${name}`).toBe(true);
      expect(name in sample, name).toBe(false);
    }
  });

  it("holds values the app accepts, its figures and empty values meaning the code's defaults", () => {
    const whole = parsed(sample);
    for (const [name, value] of Object.entries(sample)) {
      if (value !== "" && !/^\d+$/.test(value)) continue;
      expect(parsed({ ...sample, [name]: undefined }), `${name}="${value}" is not the default`).toBe(whole);
    }
  });
});
