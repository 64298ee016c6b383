/** `mail:send`: Graph `POST /users/{from}/sendMail` (202 Accepted). */
import { classifyGraph, responseView, toGraphRequest } from "./input";
import type { GraphResponse } from "../../clients/graph/types";
import { graphOptions, type GraphKindDeps } from "./request";
import type { KindAnswer, StepKind, StepKindSpec } from "../../core/step-kind";

export interface MailInput {
  from: string;
  to: string | string[];
  cc?: string | string[];
  subject: string;
  body: string;
  contentType?: "Text" | "HTML";
}

const addresses = { anyOf: [{ type: "string", minLength: 3 }, { type: "array", items: { type: "string", minLength: 3 }, minItems: 1 }] };

function recipients(value: string | string[] | undefined): Array<{ emailAddress: { address: string } }> {
  const list = value === undefined ? [] : Array.isArray(value) ? value : value.split(",");
  return list.map((address) => address.trim()).filter(Boolean).map((address) => ({ emailAddress: { address } }));
}

function toRequest(input: MailInput) {
  const message = {
    subject: input.subject,
    body: { contentType: input.contentType ?? "Text", content: input.body },
    toRecipients: recipients(input.to),
    ...(input.cc === undefined ? {} : { ccRecipients: recipients(input.cc) }),
  };
  // Resent after a lost answer (a 504, a dropped connection): a second copy of a mail is harmless,
  // a credential mail that never arrives is not.
  return toGraphRequest({ method: "POST", path: "/users/{from}/sendMail", params: { from: input.from }, body: { message, saveToSentItems: false } }, true);
}

/** Graph's answer to the sendMail, sent alone or in a write's `$batch`. */
function answerOf(response: GraphResponse): KindAnswer {
  return { response: responseView(response), attempts: response.attempts };
}

export const mailSendSpec: StepKindSpec<MailInput> = {
  id: "mail:send",
  description: "Sends a mail through Graph sendMail from a mailbox the app may send as.",
  inputSchema: {
    type: "object",
    additionalProperties: false,
    required: ["from", "to", "subject", "body"],
    properties: { from: { type: "string", minLength: 3 }, to: addresses, cc: addresses, subject: { type: "string" }, body: { type: "string" }, contentType: { enum: ["Text", "HTML"] } },
  },
  secretPaths: ["body"],
  delivers: true,
  isReadOnly: () => false,
  // The mailbox it sends from is a value; the request is always this one.
  graphRequests: () => [{ method: "POST", path: "/users/{from}/sendMail", at: [] }],
  describe: toRequest,
  classify: classifyGraph,
  graphSend: (input) => ({ request: toRequest(input), answer: answerOf }),
};

export function mailSend({ graph }: GraphKindDeps): StepKind<MailInput> {
  return {
    ...mailSendSpec,
    async run(input, ctx): Promise<KindAnswer> {
      return answerOf(await graph.request(toRequest(input), graphOptions(ctx)));
    },
  };
}
