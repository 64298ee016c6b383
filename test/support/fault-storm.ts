/**
 * The fault storm: every seed intent's plain happy-path cases, each run through the real pipeline
 * (run store on Azurite, continuations, failure mail) against its own sandbox tenant over HTTP,
 * while the sandbox faults a share of the requests. A run that did not end as its fault-free twin
 * did is delivered once more, as an operator would. It is right when the tenant ends as the
 * twin's did, the credential the user was given is the one delivered, and no create Graph would
 * not take twice (a user, a Temporary Access Pass) was applied twice.
 */
import { createGraphClient } from "../../engine/clients/graph";
import { loadCatalog, type Catalog } from "../../engine/index";
import { catalogEngine } from "../../engine/hosts/compose/catalog-engine";
import { composePipeline } from "../../engine/hosts/compose/pipeline";
import { loadSettings } from "../../engine/hosts/config";
import { handleIntent } from "../../engine/inbound/webhook/intake";
import { handleContinuation } from "../../engine/lifecycle/continue/continuation";
import { continuationWire, type ContinuationWire } from "../../engine/lifecycle/continue/continuation-queue";
import type { ContinuationMessage, ContinuationQueue } from "../../engine/lifecycle/continue/types";
import type { PipelineDeps } from "../../engine/lifecycle/types";
import type { HttpAnswer } from "../../engine/inbound/webhook/types";
import { automationClientFromSettings } from "../../engine/clients/arm";
import { createExchangeClient } from "../../engine/clients/exchange";
import { builtinKinds, builtinKindSpecs } from "../../engine/kinds";
import type { RunStatus } from "../../engine/runtime/types";
import { casesFileFor, loadCaseFile } from "../../engine/tooling/cases";
import { CASE_SETTINGS, fastClock, type FastClock } from "../../engine/tooling/cases/services";
import { mapFields } from "../../engine/language/spec/fields";
import { loadDeploymentPolicy } from "../../engine/language/policy/load";
import type { DeploymentPolicy } from "../../engine/language/policy/types";
import { engineMailboxesOf } from "../../engine/lifecycle/policy/gate";
import { requesterOf } from "../../engine/tooling/cases/run";
import { DEMO_POLICY_PATH, startSandbox, type FaultRuleInput, type IssuedCredential, type Sandbox, type TenantState } from "../../sandbox";

export const SEED_INTENTS = [
  "Password Reset", "Add User to Group", "Remove User from Group", "License Assignment",
  "MFA Reset", "New User Creation", "User Offboarding", "Shared Mailbox Permission",
] as const;

const SECRET = "fault-storm-shared-secret";

export interface StormScenario {
  name: string;
  intent: string;
  /** Thread's intent_fields. */
  fields: Record<string, unknown>;
  settings: Record<string, string>;
  /** meta_data.contact_email: the case's requester, judged by the demo deployment's policy as the case is. */
  requester: string;
}

/**
 * Besides the seed intents, the two others that make a credential Graph shows once (a pass): the
 * create that must never be lost or orphaned, in the storm like the rest.
 */
export const CREDENTIAL_INTENTS = ["Temporary Access Pass", "User Onboarding"] as const;

/** Each seed (and credential) intent's cases that succeed on the plain demo tenant with no fault of their own. */
export function seedScenarios(catalog: Catalog = loadCatalog(builtinKindSpecs())): StormScenario[] {
  return [...SEED_INTENTS, ...CREDENTIAL_INTENTS].flatMap((name) => {
    const intent = catalog.find(name);
    if (!intent) throw new Error(`no intent ${name}`);
    return loadCaseFile(casesFileFor(intent)).cases
      .filter((c) => c.expect.status === "succeeded" && c.fixture === undefined && (c.faults ?? []).length === 0 && c.policy === undefined)
      .map((c) => {
        const mapped = mapFields(intent, c.fields);
        if (!mapped.ok) throw new Error(`${name}: ${c.name}: its fields do not map`);
        return { name: `${name}: ${c.name}`, intent: name, fields: c.fields, settings: c.settings ?? {}, requester: requesterOf(intent, c, mapped.fields) };
      });
  });
}

/** Continuations kept in memory and handed over at once: a delay only moves the shared fast clock. */
class ImmediateQueue implements ContinuationQueue {
  readonly pending: Array<{ runId: string; wire: ContinuationWire; deliveries: number }> = [];

  constructor(private readonly clock: FastClock) {}

  async send(message: ContinuationMessage, delayMs: number): Promise<void> {
    await this.clock.sleep(delayMs);
    this.pending.push({ runId: message.runId, wire: continuationWire(message, SECRET), deliveries: 0 });
  }
}

export interface Delivery {
  status: number;
  runStatus?: RunStatus;
  /** The run record's steps after this delivery: `id:status[:code:message]`. */
  steps: string[];
}

export interface ScenarioResult {
  scenario: StormScenario;
  twin: { status: RunStatus | undefined; state: NormalTenant };
  deliveries: Delivery[];
  finalStatus: RunStatus | undefined;
  /** Differences between the tenant and its twin's, as readable lines. */
  stateProblems: string[];
  credentialProblems: string[];
  duplicateCreates: string[];
  /** Requests the storm faulted, of all sent; answers lost after Graph acted. */
  faulted: number;
  sent: number;
  lostAfterApplied: number;
  /** Answers lost after the service acted, by service: Graph, the Exchange admin API, ARM (runbooks). */
  lostAfterAppliedBy: Record<Service, number>;
}

export type Service = "graph" | "exchange" | "arm";

function serviceOf(path: string): Service {
  return path.startsWith("/adminapi/") ? "exchange" : path.startsWith("/subscriptions/") ? "arm" : "graph";
}

/** The tenant as comparable data: object ids turned into names, times and fresh ids left out. */
export type NormalTenant = Record<string, unknown>;

function normalise(tenant: TenantState): NormalTenant {
  const upn = new Map(tenant.users.map((u) => [u.id, u.userPrincipalName.toLowerCase()]));
  const name = (id: string) => upn.get(id) ?? tenant.groups.find((g) => g.id === id)?.displayName ?? id;
  const users = Object.fromEntries(tenant.users.map((u) => {
    const { id: _id, createdDateTime: _c, signInSessionsValidFromDateTime, passwordProfile, managerId, authenticationMethods, defaultAuthenticationMethodId, ...rest } = u;
    const methods = authenticationMethods
      .map((m) => (m.type === "temporaryAccessPass" ? { type: m.type, isUsableOnce: m.properties?.isUsableOnce, lifetimeInMinutes: m.properties?.lifetimeInMinutes } : { id: m.id, type: m.type }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const defaultMethod = authenticationMethods.find((m) => m.id === defaultAuthenticationMethodId);
    return [u.userPrincipalName.toLowerCase(), {
      ...rest,
      sessionsRevoked: signInSessionsValidFromDateTime !== undefined,
      passwordChanged: passwordProfile?.lastChangedDateTime !== undefined,
      forceChangePasswordNextSignIn: passwordProfile?.forceChangePasswordNextSignIn ?? null,
      manager: managerId ? name(managerId) : null,
      methods,
      defaultMethod: defaultMethod ? (defaultMethod.type === "temporaryAccessPass" ? "temporaryAccessPass" : defaultMethod.id) : null,
    }];
  }));
  const groups = Object.fromEntries(tenant.groups.map((g) => [g.displayName + ":" + g.id, [...g.members].map(name).sort()]));
  return { users, groups };
}

function differences(expected: unknown, actual: unknown, path = ""): string[] {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return [];
  if (typeof expected === "object" && expected !== null && typeof actual === "object" && actual !== null && !Array.isArray(expected)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((key) => differences((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], path ? `${path}.${key}` : key));
  }
  return [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

interface World {
  deps: PipelineDeps;
  queue: ImmediateQueue;
  sandbox: Sandbox;
  clock: FastClock;
  credentials: IssuedCredential[];
  /** Back to the demo tenant with no faults, no log and no credentials seen. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

async function control(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<void> {
  const answer = await fetch(`${sandbox.url}/_sandbox${path}`, { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) });
  if (answer.status >= 300) throw new Error(`the sandbox refused ${method} ${path}: ${await answer.text()}`);
}

let catalog: Catalog | undefined;
let demoPolicy: DeploymentPolicy | undefined;

async function world(storage: string, scenario: StormScenario): Promise<World> {
  catalog ??= loadCatalog(builtinKindSpecs());
  demoPolicy ??= loadDeploymentPolicy(DEMO_POLICY_PATH, true);
  const clock = fastClock();
  const credentials: IssuedCredential[] = [];
  const sandbox = await startSandbox({ now: clock.now, onCredential: (issued) => credentials.push(issued) });
  const demo = JSON.parse(JSON.stringify(sandbox.tenant)) as TenantState;
  const graph = createGraphClient({ baseUrl: sandbox.graphBaseUrl, tokens: { getToken: async () => "storm-token" }, clock, random: () => 0.5 });
  const intentSettings = { ...CASE_SETTINGS, ARM_BASE_URL: sandbox.armBaseUrl, ARM_ACCESS_TOKEN: "storm-arm-token", ...scenario.settings };
  const settings = loadSettings({
    AzureWebJobsStorage: storage, NOTIFICATION_MAILBOX: "isaiah.langer@contoso.com", NOTIFICATION_EMAIL: "grace.taylor@contoso.com",
    RUN_BUDGET_MS: "600000", CONTINUATION_BUDGET_MS: "600000", RUN_LEASE_MS: "60000",
  });
  const automation = automationClientFromSettings(intentSettings);
  // The admin API too: half of User Offboarding's options and Shared Mailbox Permission run there,
  // and the sandbox faults its requests as it faults Graph's.
  const exchange = createExchangeClient({ baseUrl: sandbox.exchangeBaseUrl, tenantId: sandbox.tenant.tenantId, tokens: { getToken: async () => "storm-exchange-token" }, clock, random: () => 0.5 });
  const kinds = builtinKinds({ graph, automation, exchange });
  // Judged as the case is: the demo deployment's policy, its reads faulted like every other request.
  const engine = catalogEngine(catalog, { policy: demoPolicy, graph, engineMailboxes: engineMailboxesOf(intentSettings) });
  const deps = await composePipeline(settings, { engine, kinds, graph, clock, sharedSecret: async () => SECRET, intentSettings });
  const queue = new ImmediateQueue(clock);
  return {
    deps: { ...deps, queue }, queue, sandbox, clock, credentials,
    reset: async () => {
      await control(sandbox, "PUT", "/state", demo);
      await control(sandbox, "DELETE", "/faults");
      await control(sandbox, "DELETE", "/requests");
      credentials.length = 0;
      queue.pending.length = 0;
    },
    close: async () => {
      await graph.close();
      await exchange.close();
      await sandbox.close();
    },
  };
}

function request(body: unknown) {
  const bytes = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = { "x-intent-secret": SECRET, "content-type": "application/json", "content-length": String(bytes.byteLength) };
  return { header: (name: string) => headers[name.toLowerCase()] ?? null, body: (async function* () { yield bytes; })() };
}

const silent = () => undefined;

/** Delivers the webhook, then plays every continuation it queued (a failed one comes back, as from a queue). */
async function deliver(w: World, body: unknown): Promise<HttpAnswer> {
  const answer = await handleIntent(w.deps, request(body), silent);
  for (let rounds = 0; w.queue.pending.length > 0 && rounds < 50; rounds++) {
    const message = w.queue.pending.shift()!;
    message.deliveries++;
    try {
      await handleContinuation(w.deps, message.wire, message.deliveries, silent);
    } catch {
      await w.clock.sleep(5_000);
      w.queue.pending.push(message);
    }
  }
  return answer;
}

async function runStatusOf(w: World, answer: HttpAnswer): Promise<RunStatus | undefined> {
  const runId = answer.body.runId;
  return typeof runId === "string" ? (await w.deps.store.get(runId))?.status : undefined;
}

/** Each step's status and error code in the run's record, for a failure message. */
async function recordedSteps(w: World, answer: HttpAnswer): Promise<string[]> {
  const runId = answer.body.runId;
  const record = typeof runId === "string" ? await w.deps.store.get(runId) : undefined;
  return (record?.result?.steps ?? []).map((step) => `${step.id}:${step.status}${step.error ? `:${step.error.code}:${step.error.message.slice(0, 120)}` : ""}`);
}

/**
 * The credential that reached each user last of each kind, and whether a mail carries it; one the
 * requester gave in the webhook is theirs already and is never mailed. A new account signed into
 * with a Temporary Access Pass (User Onboarding) has a password nobody is told: its pass must be
 * delivered, the password need not be.
 */
function credentialProblems(w: World, given: readonly unknown[]): string[] {
  const last = new Map<string, IssuedCredential>();
  for (const issued of w.credentials) last.set(`${issued.userPrincipalName.toLowerCase()}|${issued.kind}`, issued);
  const mail = JSON.stringify(w.sandbox.tenant.sentMail);
  const delivered = (issued: IssuedCredential) => given.includes(issued.value) || mail.includes(issued.value);
  const signsInWithPass = (upn: string) => {
    const pass = last.get(`${upn.toLowerCase()}|temporaryAccessPass`);
    return pass !== undefined && delivered(pass);
  };
  return [...last.values()]
    .filter((issued) => !delivered(issued) && !(issued.kind === "password" && signsInWithPass(issued.userPrincipalName)))
    .map((issued) => `the ${issued.kind} ${issued.userPrincipalName} holds was never delivered`);
}

/** Creates Graph refuses to repeat, applied more than once per target (from the request log). */
function duplicateCreates(sandbox: Sandbox): string[] {
  const applied = new Map<string, number>();
  for (const entry of sandbox.requests()) {
    const status = entry.appliedStatus ?? entry.status;
    if (entry.method !== "POST" || status !== 201) continue;
    const key = entry.path === "/v1.0/users" ? `user ${String((entry.body as { userPrincipalName?: unknown })?.userPrincipalName)}` : entry.path;
    applied.set(key, (applied.get(key) ?? 0) + 1);
  }
  const deletedPasses = sandbox.requests().filter((e) => e.method === "DELETE" && /temporaryAccessPassMethods\//.test(e.path) && (e.appliedStatus ?? e.status) === 204).length;
  return [...applied].filter(([key, count]) => count - (key.endsWith("temporaryAccessPassMethods") ? deletedPasses : 0) > 1).map(([key, count]) => `${key} created ${count} times`);
}

export interface StormScenarioRun {
  twin: ScenarioResult["twin"];
  /** One storm round on the demo tenant afresh, under `faults`. */
  play(faults: FaultRuleInput[]): Promise<ScenarioResult>;
  close(): Promise<void>;
}

function bodyFor(scenario: StormScenario, ticketId: number) {
  return { intent_name: scenario.intent, intent_fields: scenario.fields, meta_data: { ticket_id: ticketId, contact_name: "Storm Requester", contact_email: scenario.requester, company_name: "Contoso" } };
}

/**
 * Runs the scenario once without faults (its twin), then hands back a player for storm rounds:
 * one sandbox and pipeline per scenario, the tenant reset to the demo one before each round, each
 * round its own ticket (so its own run). At most `maxDeliveries` deliveries a round (default 2).
 */
export async function openScenario(scenario: StormScenario, storage: string, ticketBase: number, maxDeliveries = 2): Promise<StormScenarioRun> {
  const w = await world(storage, scenario);
  let ticket = ticketBase;
  try {
    const answer = await deliver(w, bodyFor(scenario, ticket));
    const twin: ScenarioResult["twin"] = { status: await runStatusOf(w, answer), state: normalise(w.sandbox.tenant) };
    return {
      twin,
      async play(faults) {
        await w.reset();
        ticket += 1;
        return stormRound(w, scenario, ticket, twin, faults, maxDeliveries);
      },
      close: () => w.close(),
    };
  } catch (error) {
    await w.close();
    throw error;
  }
}

async function stormRound(w: World, scenario: StormScenario, ticketId: number, twin: ScenarioResult["twin"], faults: FaultRuleInput[], maxDeliveries: number): Promise<ScenarioResult> {
  const body = bodyFor(scenario, ticketId);
  await control(w.sandbox, "POST", "/faults", { rules: faults });
  const deliveries: Delivery[] = [];
  let status: RunStatus | undefined;
  for (let i = 0; i < maxDeliveries; i++) {
    // An operator redelivers a minute later: a failed run is retried only by a delivery that
    // arrived after its failure was recorded (one at the same instant is answered as its duplicate).
    if (i > 0) await w.clock.sleep(60_000);
    const answer = await deliver(w, body);
    status = await runStatusOf(w, answer);
    const right = status === twin.status && differences(twin.state, normalise(w.sandbox.tenant)).length === 0;
    deliveries.push({ status: answer.status, ...(status ? { runStatus: status } : {}), steps: right ? [] : await recordedSteps(w, answer) });
    if (right) break;
  }
  const log = w.sandbox.requests();
  return {
    scenario, twin, deliveries, finalStatus: status,
    stateProblems: differences(twin.state, normalise(w.sandbox.tenant)),
    credentialProblems: credentialProblems(w, Object.values(scenario.fields)),
    duplicateCreates: duplicateCreates(w.sandbox),
    faulted: log.filter((e) => e.status === 0 || e.status === 429 || e.status >= 500 || e.appliedStatus !== undefined).length,
    sent: log.length,
    lostAfterApplied: log.filter((e) => e.appliedStatus !== undefined).length,
    lostAfterAppliedBy: log.filter((e) => e.appliedStatus !== undefined).reduce(
      (by, e) => ({ ...by, [serviceOf(e.path)]: by[serviceOf(e.path)] + 1 }), { graph: 0, exchange: 0, arm: 0 } as Record<Service, number>,
    ),
  };
}
