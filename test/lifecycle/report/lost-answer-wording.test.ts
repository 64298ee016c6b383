/**
 * A step whose first answer was lost and whose resend found it done is the run's own change, and
 * the words people read say how it was learned: the ticket note and the failure mail.
 */
import { describe, expect, it } from "vitest";
import { buildFailureMail } from "../../../engine/lifecycle/failure-mail/failure-mail";
import { stepWords } from "../../../engine/lifecycle/report/wording";

describe("a change whose first answer was lost", () => {
  it("reads as done, saying the resend found it done; a plain change and an 'already so' read as before", () => {
    expect(stepWords({ status: "changed", answerLost: true })).toBe("done (its first answer was lost; sent again, it was found done)");
    expect(stepWords({ status: "changed" })).toBe("done");
    expect(stepWords({ status: "ok" })).toBe("done, nothing needed changing");
  });

  it("is explained in the failure mail's step table, beside a step that failed", () => {
    const run = { runId: "r1", ticketId: "7", intentName: "License Assignment", contactName: "Megan Bowen", contactEmail: "megan.bowen@contoso.com", companyName: "Contoso" };
    const mail = buildFailureMail(run, {
      status: "partial", message: "Partly done.",
      steps: [
        { id: "remove", kind: "graph:request", status: "changed", attempts: 2, durationMs: 10, answerLost: true },
        { id: "notify", kind: "mail:send", status: "failed", attempts: 1, durationMs: 5, error: { code: "GRAPH_ERROR", message: "Microsoft Graph answered 403." } },
      ],
    }, [], new Date(0));
    expect(mail.html).toContain("<td>remove</td><td>changed</td><td></td><td>Its first answer was lost; sent again, it was found done.</td>");
    expect(mail.html).toContain("<td>notify</td><td>failed</td><td>GRAPH_ERROR</td>");
  });
});
