/** Failure mail: masked, escaped, sent through Graph, and never able to break the answer. */
import { InvocationContext } from "@azure/functions";
import { QueueClient } from "@azure/storage-queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { continuationHandler } from "../../engine/hosts/functions/handlers";
import { buildFailureMail } from "../../engine/lifecycle/failure-mail/failure-mail";
import { CONTINUATION_QUEUE } from "../../engine/lifecycle/continue/continuation-queue";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { fakeEngine } from "./support/fake-engine";
import { startApp, webhook, type App } from "./support/harness";
import { OFFBOARDING, PASSWORD_RESET } from "./support/intents";
import { acceptingAll, startLoopbackGraph, type LoopbackGraph } from "../support/loopback-graph";

let azurite: RunningAzurite;
let graph: LoopbackGraph;
/** Path fragments Graph refuses, with the status it answers. */
const refusals = new Map<string, number>();
let app: App;
const engine = fakeEngine([PASSWORD_RESET, OFFBOARDING]);

beforeAll(async () => {
  azurite = await startTestAzurite();
  graph = await startLoopbackGraph({ otherwise: acceptingAll(refusals) });
  app = await startApp({ connectionString: azurite.connectionString, engine, graph: graph.client() });
});

afterAll(async () => {
  await app?.close();
  await graph?.close();
  await azurite?.close();
});

const RUN = {
  runId: "r1", ticketId: "77", intentName: "Password Reset", contactName: "<img src=x onerror=alert(1)>",
  contactEmail: "a@b.c", companyName: "Contoso & Sons",
};

describe("buildFailureMail", () => {
  it("escapes every value and masks every secret, in body and subject", () => {
    const mail = buildFailureMail(RUN, {
      status: "failed", message: "failed", steps: [{ id: "reset", kind: "graph:request", status: "failed", attempts: 1, durationMs: 3,
        error: { code: "GRAPH_ERROR", message: "Password P@ss<w0rd> was rejected", fix: "Use <b>another</b> one" } }],
      error: { code: "GRAPH_ERROR", message: "Password P@ss<w0rd> was rejected", fix: "Use <b>another</b> one" },
    }, ["P@ss<w0rd>"], new Date("2026-11-23T06:00:00Z"));
    expect(mail.html).not.toContain("P@ss");
    expect(mail.html).toContain("Password *** was rejected");
    expect(mail.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain("Use &lt;b&gt;another&lt;/b&gt; one");
    expect(mail.html).toContain("Contoso &amp; Sons");
    expect(mail.html).toContain("GRAPH_ERROR");
    expect(mail.subject).toBe("[FAILED] Thread Automation: Password Reset - Ticket #77");
  });

  it("masks a secret that contains another whole, in body and subject", () => {
    const inner = "hunter2!";
    const outer = "xx-hunter2!-yy";
    const mail = buildFailureMail({ ...RUN, intentName: `Reset ${outer}` }, {
      status: "failed", message: "failed", steps: [],
      error: { code: "GRAPH_ERROR", message: `old ${outer}, new ${inner}` },
    }, [inner, outer], new Date("2026-11-23T06:00:00Z"));
    expect(mail.html).toContain("old ***, new ***");
    expect(mail.html).not.toContain("xx-");
    expect(mail.html).not.toContain("-yy");
    expect(mail.subject).toBe("[FAILED] Thread Automation: Reset *** - Ticket #77");
  });
});

describe("failure notification over Graph", () => {
  it("mails the recipients from the notification mailbox when a run fails", async () => {
    refusals.set("/reset", 400);
    const secret = "Tmp-9f<x>&Q";
    const answer = await app.post(webhook("Password Reset", { "User Email": "<b>hal</b>@contoso.com", "Temporary Password": secret }, 3001));
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("failed");
    expect(answer.body.error.code).toBe("GRAPH_ERROR");
    const mail = graph.received.find((r) => r.path === "/users/automation%40contoso.com/sendMail");
    expect(mail).toBeDefined();
    const message = (mail!.body as any).message;
    expect(message.toRecipients).toEqual([{ emailAddress: { address: "ops@contoso.com" } }, { emailAddress: { address: "lead@contoso.com" } }]);
    expect(message.body.contentType).toBe("HTML");
    expect(message.body.content).toContain("&lt;b&gt;hal&lt;/b&gt;@contoso.com");
    expect(JSON.stringify(mail!.body)).not.toContain(secret);
    expect(app.logs.join("\n")).not.toContain(secret);
    expect(app.logs.some((line) => JSON.parse(line).event === "notification" && JSON.parse(line).sent === true)).toBe(true);
  });

  it("answers the run's result even when sendMail itself fails, and logs that", async () => {
    refusals.set("/reset", 400);
    refusals.set("/sendMail", 500);
    const answer = await app.post(webhook("Password Reset", { "User Email": "ivy@contoso.com", "Temporary Password": "x-1-Pass!" }, 3002));
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("failed");
    expect(app.logs.some((line) => JSON.parse(line).event === "notification" && JSON.parse(line).sent === false)).toBe(true);
    refusals.delete("/sendMail");
  });

  it("answers a run the engine crashed in with the one failed sentence and no internals, and mails the failure", async () => {
    const execute = engine.execute;
    engine.execute = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id') at /srv/engine/runtime.ts:12");
    };
    try {
      const mailsBefore = graph.received.filter((r) => r.path.endsWith("/sendMail")).length;
      const answer = await app.post(webhook("Password Reset", { "User Email": "lee@contoso.com", "Temporary Password": "Lee-Pass-9!x" }, 3005));
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        status: "failed",
        message: "Your request could not be completed; the helpdesk has the details.",
        error: { code: "INTERNAL", message: "An unexpected error occurred." },
      });
      expect(JSON.stringify(answer.body)).not.toMatch(/reading 'id'|runtime\.ts/);
      expect((await app.getRun(answer.body.runId)).body).toMatchObject({ status: "failed", message: answer.body.message });
      expect(graph.received.filter((r) => r.path.endsWith("/sendMail")).length).toBe(mailsBefore + 1);
    } finally {
      engine.execute = execute;
    }
  });

  it("ends a run whose continuation became poison as failed, with a mail", async () => {
    const answer = await app.post(webhook("User Offboarding", { "User Email": "jo@contoso.com" }, 3003));
    expect(answer.status).toBe(202);
    const queue = new QueueClient(azurite.connectionString, CONTINUATION_QUEUE);
    const [item] = (await queue.receiveMessages({ numberOfMessages: 1 })).receivedMessageItems;
    expect(Buffer.from(item!.messageText, "base64").toString("utf8")).not.toContain("jo@contoso.com"); // sealed
    const mailsBefore = graph.received.filter((r) => r.path.endsWith("/sendMail")).length;
    const handler = continuationHandler(async () => app.deps);
    const context = new InvocationContext({ invocationId: "poison-1", functionName: "continueRun", triggerMetadata: { dequeueCount: 6 }, logHandler: () => undefined });
    await handler(Buffer.from(item!.messageText, "base64").toString("utf8"), context);
    const run = await app.getRun(answer.body.runId);
    expect(run.body.status).toBe("failed");
    expect(run.body.error.code).toBe("RUN_ABANDONED");
    expect(graph.received.filter((r) => r.path.endsWith("/sendMail")).length).toBe(mailsBefore + 1);
    expect(graph.received.some((r) => r.path === "/users/jo%40contoso.com/convert")).toBe(false);
    // Its input is kept (sealed), so the operator console can retry it once the cause is fixed.
    expect((await app.deps.operator?.kept.read(answer.body.runId))?.fields).toMatchObject({ user: "jo@contoso.com" });
  });

  it("ends a run whose continuation was sealed under a secret since rotated", async () => {
    const answer = await app.post(webhook("User Offboarding", { "User Email": "kai@contoso.com" }, 3004));
    expect(answer.status).toBe(202);
    const queue = new QueueClient(azurite.connectionString, CONTINUATION_QUEUE);
    const [item] = (await queue.receiveMessages({ numberOfMessages: 1 })).receivedMessageItems;
    const rotated = { ...app.deps, settings: { ...app.deps.settings, sharedSecret: async () => "rotated-secret" } };
    const context = new InvocationContext({ invocationId: "rotated-1", functionName: "continueRun", triggerMetadata: { dequeueCount: 1 }, logHandler: () => undefined });
    await continuationHandler(async () => rotated)(Buffer.from(item!.messageText, "base64").toString("utf8"), context);
    const run = await app.getRun(answer.body.runId);
    expect(run.body.status).toBe("failed");
    expect(run.body.error.code).toBe("RUN_ABANDONED");
    expect(graph.received.some((r) => r.path === "/users/kai%40contoso.com/convert")).toBe(false);
  });
});
