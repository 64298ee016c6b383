/**
 * `intents undo <runId>`: shows a run's compensating plan (against the tenant as it is now) from
 * the Function App or `npm start`, and with --yes starts it as a new run, through requester policy
 * and approval like any other. It talks to the app's HTTP API (GET and POST /api/runs/{id}/undo)
 * with the shared secret, so it needs no storage or tenant credentials of its own.
 */
import { parseArgs } from "node:util";
import { LOCAL_DEV_SECRET } from "../../local/dev-stack";

export const summary = "Show a run's undo plan (against the tenant as it is now) and, with --yes, start the undo";

const HELP = `usage: intents undo <runId> [--url URL] [--yes] [--requester EMAIL] [--ticket N] [--json]

  --url URL          the Function App, or npm start (default $INTENTS_URL, else http://localhost:7071)
  --yes              start the undo after showing its plan (a new run, linked to <runId>)
  --requester EMAIL  who asks: requester policy judges them as for the run (default $INTENTS_REQUESTER)
  --ticket N         the ticket the undo's notes go to (default the run's)
  --json             print the answers as JSON

The shared secret is $INTENT_SHARED_SECRET (npm start's local one when unset).
Exit status: 0 shown, undone or nothing left to undo; 1 refused or failed; 2 usage.`;

interface Options {
  url?: string;
  yes?: boolean;
  requester?: string;
  ticket?: string;
  json?: boolean;
  help?: boolean;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(url: string, method: "GET" | "POST", secret: string, body?: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { "x-intent-secret": secret, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { message: text.slice(0, 200) };
  }
  return { status: response.status, body: parsed };
}

function refusal(answer: Answer): string {
  const error = answer.body.error as { code?: string; message?: string; fix?: string } | undefined;
  const parts = [`${answer.status} ${error?.code ?? ""}`.trim(), error?.message ?? String(answer.body.message ?? "")];
  if (error?.fix) parts.push(error.fix);
  return parts.filter(Boolean).join(": ");
}

export function formatPlan(plan: { intentName?: string; runId?: string; lines?: string[]; nothingToUndo?: boolean; expiresAt?: string; undoneBy?: string[] }): string {
  const lines = [`Undo of ${plan.intentName ?? "?"} run ${plan.runId ?? "?"} (snapshot kept until ${plan.expiresAt ?? "?"}):`];
  for (const line of plan.lines ?? []) lines.push(`  ${line}`);
  if (plan.nothingToUndo) lines.push("  Nothing is left to undo.");
  if (plan.undoneBy?.length) lines.push(`  Undone before by run(s): ${plan.undoneBy.join(", ")}`);
  return lines.join("\n");
}

export async function run(args: string[]): Promise<number> {
  let values: Options;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { url: { type: "string" }, yes: { type: "boolean" }, requester: { type: "string" }, ticket: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    process.stderr.write(`intents undo: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) return void process.stdout.write(`${HELP}\n`), 0;
  const [runId, ...extra] = positionals;
  if (!runId || extra.length > 0 || !/^[0-9a-f]{32}$/.test(runId)) {
    process.stderr.write(`intents undo: give one run id (32 hexadecimal characters)\n\n${HELP}\n`);
    return 2;
  }
  const base = (values.url ?? process.env.INTENTS_URL ?? "http://localhost:7071").replace(/\/+$/, "");
  const secret = process.env.INTENT_SHARED_SECRET || LOCAL_DEV_SECRET;
  const endpoint = `${base}/api/runs/${runId}/undo`;
  let answer: Answer;
  try {
    answer = await call(endpoint, "GET", secret);
  } catch (error) {
    process.stderr.write(`intents undo: ${base} could not be reached (${(error as Error).message}); is the app (or npm start) running?\n`);
    return 1;
  }
  if (answer.status !== 200) return void process.stderr.write(`intents undo: ${refusal(answer)}\n`), 1;
  const plan = answer.body.plan as Parameters<typeof formatPlan>[0] & { nothingToUndo?: boolean };
  process.stdout.write(`${values.json ? JSON.stringify(answer.body, null, 2) : formatPlan(plan)}\n`);
  if (plan.nothingToUndo) return 0;
  if (!values.yes) {
    if (!values.json) process.stdout.write("Run again with --yes to start this undo.\n");
    return 0;
  }
  const requester = values.requester ?? process.env.INTENTS_REQUESTER ?? "";
  const meta = { ...(requester ? { contact_email: requester } : {}), ...(values.ticket ? { ticket_id: values.ticket } : {}) };
  const started = await call(endpoint, "POST", secret, { meta_data: meta });
  if (values.json) process.stdout.write(`${JSON.stringify(started.body, null, 2)}\n`);
  else if (started.status === 200 || started.status === 202) {
    const undo = started.body.undo as { changedSince?: string[]; irreversible?: string[] } | undefined;
    process.stdout.write(`Undo run ${String(started.body.runId)}: ${String(started.body.status)} — ${String(started.body.message)}\n`);
    for (const sentence of undo?.changedSince ?? []) process.stdout.write(`  Left as it is: ${sentence}\n`);
    for (const sentence of undo?.irreversible ?? []) process.stdout.write(`  Not reversible: ${sentence}\n`);
  } else {
    process.stderr.write(`intents undo: ${refusal(started)}\n`);
  }
  const status = String(started.body.status ?? "");
  return (started.status === 200 || started.status === 202) && ["succeeded", "running", "nothing_to_undo"].includes(status) ? 0 : 1;
}
