/**
 * Judges one run before it starts: sends the policy reads in one `$batch` together with the
 * intent's own first reads (so a lookup-first intent pays no extra round trip), turns the answers
 * into facts and decides. The intent's reads come back as its first step's answer.
 */
import type { GraphClient, GraphRequest, GraphRequestOptions, GraphResponse } from "../../clients/graph/types";
import type { KindAnswer } from "../../core/step-kind";
import { IntentError } from "../../core/errors";
import { normaliseName } from "../../language/spec/names";
import type { DeploymentPolicy, PolicyRule, RiskTier } from "../../language/policy/types";
import { decide, type Decided } from "./decide";
import { eligibilitiesFor, found, managerChainFrom, membershipsFrom, noMemberships, pageOf, personFrom, required, scopedRolesFrom, withoutPim, type OtherRoleFact, type Person, type RequesterFacts, type TargetFacts } from "./facts";
import { managerLevels, MEMBERSHIP_PAGE, membershipsRead, policyReads, scopedRolesRead, targetRead, usableKey, userByAddressRead, type NamedRead, type ReadName } from "./reads";

/** What the gate needs to know of an intent (a CompiledIntent fits). */
export interface PolicySubject {
  name: string;
  aliases: readonly string[];
  risk: RiskTier;
  /** The field variable naming the user the intent acts on. */
  target?: string;
  policy?: PolicyRule;
}

/** A step the run reads first, as independent Graph GETs (engine/runtime/leading-reads.ts). */
export interface LeadingReads {
  stepId: string;
  requests: GraphRequest[];
  answer(responses: GraphResponse[]): KindAnswer;
}

export interface Judgement extends Decided {
  /** The answers of the steps the run reads first, read in the policy's `$batch`. */
  prefetched?: Array<{ stepId: string; answer: KindAnswer }>;
  /** The Graph requests the policy itself sent (not the intent's), in order. */
  sent: GraphRequest[];
}

export interface GateSettings {
  policy: DeploymentPolicy;
  graph: GraphClient;
  /** NOTIFICATION_MAILBOX and MAIL_SENDER: the engine's own mailboxes, always protected. */
  engineMailboxes: readonly string[];
}

/** NOTIFICATION_MAILBOX and MAIL_SENDER from plain settings, lower-cased: the engine's own mailboxes. */
export function engineMailboxesOf(settings: Readonly<Record<string, string | undefined>>): string[] {
  return [settings.NOTIFICATION_MAILBOX, settings.MAIL_SENDER].flatMap((value) => (value?.trim() ? [value.trim().toLowerCase()] : []));
}

/** The deployment's per-intent rule, else the intent file's own, else the rule for its risk tier. */
export function ruleFor(policy: DeploymentPolicy, intent: PolicySubject): PolicyRule {
  for (const name of [intent.name, ...intent.aliases]) {
    const rule = policy.intents.get(normaliseName(name));
    if (rule) return rule;
  }
  return intent.policy ?? policy.rules[intent.risk];
}

/** A person read: 404 (and Graph's 400 for a key that cannot be an id or UPN) means not in the tenant. */
function personRead(what: string, response: GraphResponse | undefined): GraphResponse | undefined {
  if (response?.status === 400) return undefined;
  return found(what, response) ? response : undefined;
}

/** Every item of a membership list: the first page came in the batch; an account with more is read again in full. */
async function allItems(graph: GraphClient, request: GraphRequest, first: GraphResponse, sent: GraphRequest[], options: GraphRequestOptions): Promise<unknown[]> {
  const page = pageOf(first.body);
  if (page.next === undefined) return page.items;
  sent.push(request);
  return (await graph.getAll(request, options)).items;
}

type Batched = { request: GraphRequest; response: GraphResponse };

/** Where a refusal names a role the tenant may not have activated, and what reading them needs. */
const ROLE_PERMISSION = "RoleManagement.Read.Directory";

/**
 * The target's directory roles beyond activated roles' memberships: eligible ones (the tenant-wide
 * list, matched against the user and their groups; none in a tenant without PIM) and those held in
 * an administrative unit.
 */
async function otherRolesOf(graph: GraphClient, eligibilities: Batched | undefined, scoped: Batched | undefined, principals: ReadonlySet<string>, sent: GraphRequest[], options: GraphRequestOptions): Promise<OtherRoleFact[]> {
  const facts: OtherRoleFact[] = [];
  if (eligibilities && !withoutPim(eligibilities.response)) {
    const items = await allItems(graph, eligibilities.request, required("eligible directory roles", eligibilities.response, ROLE_PERMISSION), sent, options);
    facts.push(...eligibilitiesFor(items, principals));
  }
  if (scoped) {
    const items = await allItems(graph, scoped.request, required("target's administrative-unit roles", scoped.response, ROLE_PERMISSION), sent, options);
    facts.push(...scopedRolesFrom(items));
  }
  return facts;
}

/** The display name of the role a refusal names (one read, only for a refusal); its id when it cannot be read. */
async function nameRole(graph: GraphClient, fact: OtherRoleFact, sent: GraphRequest[], options: GraphRequestOptions): Promise<void> {
  const request: GraphRequest = { method: "GET", path: `/roleManagement/directory/roleDefinitions/${encodeURIComponent(fact.roleId)}`, query: { $select: "displayName" } };
  sent.push(request);
  try {
    const answer = await graph.request(request, options);
    const name = (answer.body as { displayName?: unknown } | null)?.displayName;
    if (answer.status >= 200 && answer.status < 300 && typeof name === "string") fact.name = name;
  } catch {
    // The refusal stands either way; it names the role by id.
  }
}

function batchedRead(reads: NamedRead[], answers: Map<ReadName, GraphResponse>, name: ReadName): Batched | undefined {
  const read = reads.find((r) => r.name === name);
  const response = answers.get(name);
  return read && response ? { request: read.request, response } : undefined;
}

/** The contact email as a mail or other SMTP address when it is not a UPN: one more round trip, only then. */
async function requesterByMail(graph: GraphClient, email: string, sent: GraphRequest[], options: GraphRequestOptions): Promise<Person | undefined> {
  if (!email.includes("@")) return undefined;
  const request = userByAddressRead(email);
  sent.push(request);
  const answer = await graph.request(request, options);
  if (!found("requester", answer)) return undefined;
  const { items } = pageOf(answer.body);
  return items.length === 1 ? personFrom(items[0]) : undefined;
}

/** The requester's groups: from the batch when it found them by UPN, else read by the id the mail lookup returned. */
async function requesterGroups(graph: GraphClient, person: Person, batched: { request: GraphRequest; response: GraphResponse } | undefined, sent: GraphRequest[], options: GraphRequestOptions): Promise<ReadonlySet<string>> {
  let request = batched?.request;
  let response = batched?.response;
  if (!request || !response || response.status === 404) {
    request = { method: "GET", path: `/users/${encodeURIComponent(person.id)}/transitiveMemberOf/microsoft.graph.group`, query: { $select: "id", $top: MEMBERSHIP_PAGE } };
    sent.push(request);
    response = await graph.request(request, options);
  }
  if (!found("requester's groups", response)) return new Set();
  return membershipsFrom(await allItems(graph, request, response, sent, options)).groups;
}

/**
 * A target Graph did not find by id or UPN, looked for by its other addresses: Exchange finds a
 * mailbox by any of them, so an alias of a protected account is judged as that account, never as
 * "nobody". Only such a target pays for it: the lookup, then its managers and memberships by id.
 */
async function targetByAddress(graph: GraphClient, value: string, levels: number, protect: boolean, sent: GraphRequest[], options: GraphRequestOptions): Promise<{ read: GraphResponse; batched: Batched; scoped?: Batched } | undefined> {
  const lookup = userByAddressRead(value);
  sent.push(lookup);
  const answer = await graph.request(lookup, options);
  if (!found("target", answer)) return undefined;
  const ids = pageOf(answer.body).items.flatMap((item) => {
    const id = (item as { id?: unknown } | null)?.id;
    return typeof id === "string" ? [id] : [];
  });
  if (ids.length === 0) return undefined;
  if (ids.length > 1) {
    throw new IntentError("POLICY_LOOKUP_FAILED", `The target ${value.trim()} is an address of more than one account in the tenant.`, {
      fix: "Send the account's user principal name; nothing was changed.",
    });
  }
  const requests = [targetRead(ids[0]!, levels), membershipsRead(ids[0]!), ...(protect ? [scopedRolesRead(ids[0]!)] : [])];
  sent.push(...requests);
  const [read, memberships, scoped] = await graph.batch(requests, options);
  const person = personRead("target", read);
  if (!person || !memberships) return undefined;
  return { read: person, batched: { request: requests[1]!, response: memberships }, ...(scoped ? { scoped: { request: requests[2]!, response: scoped } } : {}) };
}

/**
 * `options`: the run's budget (`startBy`: a read that cannot start by then throws BUDGET_DEFERRED
 * and nothing is decided) and its abort signal, for every read the judgement sends.
 */
export async function judge(settings: GateSettings, intent: PolicySubject, fields: Record<string, unknown>, contactEmail: string, leading: readonly LeadingReads[] = [], options: GraphRequestOptions = {}): Promise<Judgement> {
  const { graph, policy } = settings;
  const rule = ruleFor(policy, intent);
  const targetValue = intent.target === undefined ? undefined : String(fields[intent.target] ?? "");
  const protect = intent.risk !== "read";
  const reads = policyReads(rule, contactEmail, targetValue, protect);
  const requests = [...reads.map((r) => r.request), ...leading.flatMap((step) => step.requests)];
  const responses = requests.length > 0 ? await graph.batch(requests, options) : [];
  const answers = new Map(reads.map((read, i) => [read.name, responses[i] as GraphResponse]));
  const sent = reads.map((r) => r.request);

  let person = personFrom(personRead("requester", answers.get("requester"))?.body);
  if (!person && usableKey(contactEmail)) person = await requesterByMail(graph, contactEmail, sent, options);
  const needsGroups = rule.requesters.some((r) => r.kind === "group");
  const requester: RequesterFacts = {
    email: contactEmail,
    ...(person ? { person } : {}),
    groups: person && needsGroups ? await requesterGroups(graph, person, batchedRead(reads, answers, "requesterGroups"), sent, options) : new Set(),
  };

  let target: TargetFacts | undefined;
  if (targetValue !== undefined) {
    let read = personRead("target", answers.get("target"));
    let batched = batchedRead(reads, answers, "targetMemberships");
    let scoped = batchedRead(reads, answers, "targetScopedRoles");
    if (!personFrom(read?.body) && usableKey(targetValue) && targetValue.includes("@")) {
      const byAddress = await targetByAddress(graph, targetValue, managerLevels(rule), protect, sent, options);
      if (byAddress) ({ read, batched, scoped } = byAddress);
    }
    const targetPerson = personFrom(read?.body);
    if (!targetPerson) batched = undefined;
    // A target that exists has memberships to read: without them it cannot be known to be unprotected.
    const memberships = batched ? membershipsFrom(await allItems(graph, batched.request, required("target's memberships", batched.response), sent, options)) : noMemberships();
    const otherRoles = targetPerson && protect
      ? await otherRolesOf(graph, batchedRead(reads, answers, "roleEligibilities"), scoped, new Set([targetPerson.id, ...memberships.groups]), sent, options)
      : [];
    const exempt = policy.protected.exemptRoles;
    const named = otherRoles.find((r) => r.kind === "eligible" && !exempt.has(r.roleId));
    if (named && !memberships.roles.some((r) => !exempt.has(r.roleTemplateId))) await nameRole(graph, named, sent, options);
    target = { value: targetValue, ...(targetPerson ? { person: targetPerson } : {}), managers: managerChainFrom(read?.body), memberships, otherRoles };
  }

  const decided = decide({ intent, rule, protect: policy.protected, engineMailboxes: settings.engineMailboxes, requester, ...(target ? { target } : {}) });
  const prefetched = leading.length > 0 && decided.decision.decision === "allow" ? answersOf(leading, responses.slice(reads.length)) : undefined;
  return { ...decided, ...(prefetched ? { prefetched } : {}), sent };
}

/** Each leading step's answer, from its own slice of the `$batch`'s responses. */
function answersOf(leading: readonly LeadingReads[], responses: GraphResponse[]): Array<{ stepId: string; answer: KindAnswer }> {
  let from = 0;
  return leading.map((step) => {
    const mine = responses.slice(from, from + step.requests.length);
    from += step.requests.length;
    return { stepId: step.stepId, answer: step.answer(mine) };
  });
}
