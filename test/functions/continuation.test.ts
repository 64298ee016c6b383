/**
 * Continuations carry the run's mapped input, sealed, and a resumed run starts from it: the
 * webhook is not parsed or mapped again. A message queued in the earlier format (the raw webhook
 * sealed) ends its run cleanly as RUN_ABANDONED, with a failure mail.
 */
import { InvocationContext } from "@azure/functions";
import { QueueClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { continuationHandler } from "../../engine/hosts/functions/handlers";
import { CONTINUATION_QUEUE } from "../../engine/lifecycle/continue/continuation-queue";
import { seal, unseal } from "../../engine/lifecycle/continue/sealing";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { acceptingAll, startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";
import { fakeEngine, type FakeEngine } from "./support/fake-engine";
import { SECRET, startApp, webhook, type App } from "./support/harness";
import { OFFBOARDING } from "./support/intents";

let azurite: RunningAzurite;
let graph: LoopbackGraph;
let engine: FakeEngine;
let app: App;

beforeAll(async () => {
  azurite = await startTestAzurite();
  graph = await startLoopbackGraph({ otherwise: acceptingAll(new Map()) });
  engine = fakeEngine([OFFBOARDING]);
  app = await startApp({ connectionString: azurite.connectionString, engine, graph: graph.client() });
});

afterAll(async () => {
  await app?.close();
  await graph?.close();
  await azurite?.close();
});

async function queuedText(): Promise<string> {
  const queue = new QueueClient(azurite.connectionString, CONTINUATION_QUEUE);
  const [item] = (await queue.receiveMessages({ numberOfMessages: 1 })).receivedMessageItems;
  await queue.deleteMessage(item!.messageId, item!.popReceipt);
  return Buffer.from(item!.messageText, "base64").toString("utf8");
}

function handle(text: string, invocationId: string): Promise<void> {
  const context = new InvocationContext({ invocationId, functionName: "continueRun", triggerMetadata: { dequeueCount: 1 }, logHandler: () => undefined });
  return continuationHandler(async () => app.deps)(text, context);
}

const mails = () => graph.received.filter((r) => r.path.endsWith("/sendMail")).length;

describe("a continuation", () => {
  it("seals the mapped input and resumes from it without mapping the webhook again", async () => {
    const mapFields = vi.spyOn(engine, "mapFields");
    const answer = await app.post(webhook("Disable Account", { "User Email": "ines@contoso.com" }, 5101));
    expect(answer.status).toBe(202);
    expect(mapFields).toHaveBeenCalledTimes(1);
    const text = await queuedText();
    const wire = JSON.parse(text) as { v: number; runId: string; sealed: string };
    expect(wire).toMatchObject({ v: 2, runId: answer.body.runId });
    expect(text).not.toContain("ines@contoso.com");
    const run0 = (await app.getRun(answer.body.runId)).body;
    expect(unseal(wire.sealed, SECRET)).toEqual({
      intentName: "User Offboarding",
      fields: { user: "ines@contoso.com" },
      secretValues: [],
      // startedAt: when the run was first claimed, so a resumed create can tell what this run made.
      run: { runId: answer.body.runId, ticketId: "5101", intentName: "User Offboarding", contactName: "Adele Vance", contactEmail: "adele.vance@contoso.com", companyName: "Contoso", startedAt: run0.createdAt },
      // Requester policy let it go ahead: the continuation does not judge it again.
      cleared: true,
    });

    await handle(text, "resume-1");
    const run = await app.getRun(answer.body.runId);
    expect(run.body.status).toBe("succeeded");
    expect(run.body.steps.map((s: { id: string; resumed?: boolean }) => [s.id, s.resumed === true])).toEqual([["disable", true], ["slow", true], ["convert", false]]);
    expect(mapFields).toHaveBeenCalledTimes(1);
    expect(graph.received.filter((r) => r.path === "/users/ines%40contoso.com/convert")).toHaveLength(1);
    mapFields.mockRestore();
  });

  it("queued in the earlier format (the webhook sealed, no version) ends its run as RUN_ABANDONED, with a mail", async () => {
    const payload = webhook("User Offboarding", { "User Email": "oli@contoso.com" }, 5102);
    const answer = await app.post(payload);
    expect(answer.status).toBe(202);
    await queuedText();
    const before = mails();
    await handle(JSON.stringify({ runId: answer.body.runId, sealed: seal(payload, SECRET) }), "earlier-1");
    const run = await app.getRun(answer.body.runId);
    expect(run.body.status).toBe("failed");
    expect(run.body.error).toMatchObject({ code: "RUN_ABANDONED", message: "The continuation was queued by an earlier version of the engine." });
    expect(run.body.message).toBe("Your request could not be completed; the helpdesk has the details.");
    expect(mails()).toBe(before + 1);
    expect(graph.received.some((r) => r.path === "/users/oli%40contoso.com/convert")).toBe(false);
  });
});
