/**
 * The console's HTTP surface in one table: route (Functions syntax, under /api), method, and what
 * it needs. Every endpoint but the static assets and sign-in authenticates first; every POST but
 * sign-in also needs the session's anti-forgery token. Nothing here is served anonymously.
 */
import { ensureIntentError } from "../../core/errors";
import type { EventSink } from "../../runtime/types";
import { authenticate, checkAction, type Refusal, type Signed } from "./auth/authenticate";
import { cancelAnswer, decisionAnswer, retryAnswer, undoAnswer } from "./api/actions";
import { errorAnswer } from "./api/answers";
import { approvalsAnswer, healthAnswer, meAnswer, schedulesAnswer } from "./api/overview";
import { listRunsAnswer, runDetailAnswer } from "./api/runs";
import { assetAnswer, consolePage, signInWithCode, signInWithSecret, signOut } from "./page";
import type { ConsoleAnswer, ConsoleDeps, ConsoleRequest } from "./types";

export interface ConsoleCall {
  deps: ConsoleDeps;
  request: ConsoleRequest;
  params: Readonly<Record<string, string>>;
  events: EventSink;
}

export interface ConsoleEndpoint {
  name: string;
  method: "GET" | "POST";
  route: string;
  handle(call: ConsoleCall): Promise<ConsoleAnswer>;
}

function refusalAnswer(refusal: Refusal): ConsoleAnswer {
  return errorAnswer(refusal.error, refusal.status);
}

/** Signed-in only; a POST also needs the anti-forgery token. */
function signedIn(work: (call: ConsoleCall, signed: Signed) => Promise<ConsoleAnswer>) {
  return async (call: ConsoleCall): Promise<ConsoleAnswer> => {
    const outcome = await authenticate(call.deps, call.request);
    if (!outcome.ok) {
      call.events("console.refused", { status: outcome.refusal.status, code: outcome.refusal.error.code });
      return refusalAnswer(outcome.refusal);
    }
    if (call.request.method === "POST") {
      const forged = await checkAction(call.deps, call.request, outcome.signed);
      if (forged) {
        call.events("console.refused", { status: forged.status, code: forged.error.code, actorId: outcome.signed.actor.id });
        return refusalAnswer(forged);
      }
    }
    try {
      return await work(call, outcome.signed);
    } catch (thrown) {
      const error = ensureIntentError(thrown);
      call.events("console.error", { code: error.code });
      return errorAnswer(error);
    }
  };
}

const param = (call: ConsoleCall, name: string) => call.params[name] ?? "";

export const CONSOLE_ENDPOINTS: readonly ConsoleEndpoint[] = [
  { name: "consolePage", method: "GET", route: "console", handle: ({ deps, request }) => consolePage(deps, request) },
  { name: "consoleAsset", method: "GET", route: "console/assets/{name}", handle: async (call) => assetAnswer(param(call, "name")) },
  { name: "consoleSignInLink", method: "GET", route: "console/signin", handle: ({ deps, request }) => signInWithCode(deps, request) },
  { name: "consoleSignIn", method: "POST", route: "console/signin", handle: ({ deps, request }) => signInWithSecret(deps, request) },
  { name: "consoleSignOut", method: "POST", route: "console/signout", handle: signedIn(async ({ request }) => signOut(request)) },
  { name: "consoleMe", method: "GET", route: "console/me", handle: signedIn(async ({ deps }, signed) => meAnswer(deps, signed)) },
  { name: "consoleHealth", method: "GET", route: "console/health", handle: signedIn(({ deps }) => healthAnswer(deps)) },
  { name: "consoleApprovals", method: "GET", route: "console/approvals", handle: signedIn(({ deps }) => approvalsAnswer(deps)) },
  { name: "consoleSchedules", method: "GET", route: "console/schedules", handle: signedIn(({ deps }) => schedulesAnswer(deps)) },
  {
    name: "consoleDecide", method: "POST", route: "console/approvals/{approvalId}/decision",
    handle: signedIn(({ deps, request, params }, signed) => decisionAnswer(deps, request, params.approvalId ?? "", signed.actor)),
  },
  { name: "runsList", method: "GET", route: "runs", handle: signedIn(({ deps, request }) => listRunsAnswer(deps, request)) },
  { name: "consoleRetry", method: "POST", route: "console/runs/{runId}/retry", handle: signedIn((call, signed) => retryAnswer(call.deps, param(call, "runId"), signed.actor, call.events)) },
  { name: "consoleCancel", method: "POST", route: "console/runs/{runId}/cancel", handle: signedIn((call, signed) => cancelAnswer(call.deps, param(call, "runId"), signed.actor)) },
  { name: "consoleUndo", method: "POST", route: "console/runs/{runId}/undo", handle: signedIn((call, signed) => undoAnswer(call.deps, param(call, "runId"), signed.actor)) },
];

/** The console's view of `GET /api/runs/{runId}` (the route the webhook's callers use with X-Intent-Secret). */
export const consoleRunDetail = signedIn((call) => runDetailAnswer(call.deps, param(call, "runId")));
