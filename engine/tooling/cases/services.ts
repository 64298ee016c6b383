/**
 * Real engine services pointed at a sandbox: the built-in kinds over the production Graph, Exchange
 * and Automation clients on loopback HTTP, a static token, and a clock whose sleeps return at once
 * (so a Retry-After wait costs no real time) while still moving time forward for the sandbox's timestamps.
 */
import { createAutomationClient, readAutomationSettings } from "../../clients/arm";
import { createExchangeClient } from "../../clients/exchange";
import { createGraphClient } from "../../clients/graph";
import type { GraphClient } from "../../clients/graph/types";
import type { Clock } from "../../core/clock";
import { builtinKinds } from "../../kinds";
import type { EngineServices } from "../../runtime/types";
import type { Sandbox } from "../../../sandbox";
import { exchangeLog, recordingAutomation, recordingExchange, recordingGraph, type ExchangeLog } from "./exchanges";
import { recordingSentPasswords } from "./secrets";

/** Settings every case starts from; a case's own `settings` override them. */
export const CASE_SETTINGS: Readonly<Record<string, string>> = {
  HELPDESK_EMAIL: "helpdesk@contoso.com",
  MAIL_SENDER: "reception@contoso.com",
  DEFAULT_USAGE_LOCATION: "US",
  AZURE_SUBSCRIPTION_ID: "00000000-0000-4000-8000-00000000c0de",
  AZURE_RESOURCE_GROUP: "rg-intents-sandbox",
  AUTOMATION_ACCOUNT_NAME: "aa-intents-sandbox",
  // The default route; a case says `EXCHANGE_MODE: runbook` to take the other one.
  EXCHANGE_MODE: "api",
};

export interface CapturedEvent {
  event: string;
  fields: Record<string, unknown>;
}

export interface FastClock extends Clock {
  sleeps: number[];
}

export function fastClock(start = Date.UTC(2026, 0, 5, 9)): FastClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(ms) {
      sleeps.push(ms);
      now += Math.max(0, ms);
    },
  };
}

export interface CaseServices extends EngineServices {
  /** The Graph client the kinds use (passwords and exchanges recorded), for requester policy's reads. */
  graph: GraphClient;
  captured: CapturedEvent[];
  /** Passwords the engine sent to Graph. */
  sentPasswords: Set<string>;
  /** Every request the run sent and its answer, by step. */
  exchanges: ExchangeLog;
  close(): Promise<void>;
}

export function caseServices(sandbox: Sandbox, clock: FastClock, overrides: Record<string, string> = {}): CaseServices {
  const captured: CapturedEvent[] = [];
  const exchanges = exchangeLog();
  const events = (event: string, fields: Record<string, unknown>): void => {
    captured.push({ event, fields });
    if (event === "step.finished" && typeof fields.stepId === "string") exchanges.stepFinished(fields.stepId);
  };
  const settings = { ...CASE_SETTINGS, ...overrides };
  const graph = createGraphClient({ baseUrl: sandbox.graphBaseUrl, tokens: { getToken: async () => "sandbox-graph-token" }, clock, events, random: () => 0.5 });
  // The ARM coordinates and token go to the Automation client only, as the composition root does.
  const automation = createAutomationClient(readAutomationSettings({ ...settings, ARM_BASE_URL: sandbox.armBaseUrl, ARM_ACCESS_TOKEN: "sandbox-arm-token" }));
  const exchange = createExchangeClient({
    baseUrl: sandbox.exchangeBaseUrl, tenantId: sandbox.tenant.tenantId, tokens: { getToken: async () => "sandbox-exchange-token" }, clock, events, random: () => 0.5,
  });
  const sentPasswords = new Set<string>();
  const recorded = recordingGraph(recordingSentPasswords(graph, sentPasswords), exchanges);
  return {
    // Requester policy's reads go through the same recording client: when they share the first
    // step's $batch, that step's answer is among them.
    graph: recorded,
    // A case runs one intent with no run store: no run of the ticket waits for a scheduled time,
    // nor is there any earlier run to undo (an undo:latest step finds none).
    kinds: builtinKinds({
      graph: recorded,
      automation: recordingAutomation(automation, exchanges),
      exchange: recordingExchange(exchange, exchanges),
      schedules: { cancel: async () => [] },
      undo: { undoLatest: async (request) => ({ found: false, steps: [], irreversible: [], changedSince: [], error: { code: "UNDO_NOTHING_FOUND", message: `No earlier ${request.intent} is on record in a case.` } }) },
    }),
    clock,
    settings,
    // A case gives an intent's secret settings in its `settings` too; the interpreter refuses credentials.
    secrets: { get: async (name) => (settings as Record<string, string | undefined>)[name] },
    events,
    captured,
    sentPasswords,
    exchanges,
    close: async () => {
      await graph.close();
      await exchange.close();
    },
  };
}
