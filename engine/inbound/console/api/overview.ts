/** The console's side panels: who is signed in and what this deployment has, health, approvals inbox, scheduled runs. */
import { listRuns } from "../../../lifecycle/runs/run-query";
import type { ConsoleAnswer, ConsoleDeps } from "../types";
import type { Signed } from "../auth/authenticate";
import { jsonAnswer } from "./answers";

const DAY_MS = 86_400_000;
const RECENT_FAILURES = 5;

export function meAnswer(deps: ConsoleDeps, signed: Signed): ConsoleAnswer {
  const { approvals, schedules, undo } = deps.ports;
  return jsonAnswer(200, {
    message: `Signed in as ${signed.actor.name}.`,
    actor: { name: signed.actor.name, via: signed.actor.via },
    features: { approvals: Boolean(approvals), schedules: Boolean(schedules), undo: Boolean(undo) },
    intents: deps.intents.names(),
  });
}

async function poisonCounts(deps: ConsoleDeps): Promise<Array<{ queue: string; messages: number | null }>> {
  return Promise.all(deps.poisonQueues.map(async (queue) => {
    try {
      return { queue: queue.name, messages: await queue.count() };
    } catch {
      return { queue: queue.name, messages: null }; // unreadable: shown as unknown, never as zero
    }
  }));
}

export async function healthAnswer(deps: ConsoleDeps): Promise<ConsoleAnswer> {
  const since = deps.clock.now() - DAY_MS;
  const [failures, poison, throttling] = await Promise.all([
    listRuns(deps.index, { status: "failed" }, RECENT_FAILURES),
    poisonCounts(deps),
    deps.throttling.since(since),
  ]);
  const { entitiesRead, ...throttled } = throttling;
  return jsonAnswer(200, {
    message: "Health of the engine.",
    failures: failures.runs,
    poison,
    throttling: { ...throttled, since: new Date(since).toISOString() },
    cost: { entitiesRead: failures.cost.entitiesRead + entitiesRead },
  });
}

export async function approvalsAnswer(deps: ConsoleDeps): Promise<ConsoleAnswer> {
  const approvals = deps.ports.approvals;
  if (!approvals) return jsonAnswer(200, { message: "This deployment asks for no approvals.", enabled: false, approvals: [] });
  const pending = await approvals.pending();
  return jsonAnswer(200, { message: `${pending.length} approval(s) waiting.`, enabled: true, approvals: pending });
}

export async function schedulesAnswer(deps: ConsoleDeps): Promise<ConsoleAnswer> {
  const schedules = deps.ports.schedules;
  if (!schedules) return jsonAnswer(200, { message: "This deployment schedules no runs.", enabled: false, scheduled: [] });
  const upcoming = await schedules.upcoming();
  return jsonAnswer(200, { message: `${upcoming.length} scheduled run(s).`, enabled: true, scheduled: upcoming });
}
