/**
 * Adoption: a create whose answer was lost (a 504 or a dropped connection after Graph did the
 * work) may have happened, and a later execution of the same run then meets Graph's "already
 * exists". Either way the step looks the object up (`adopt.find`) and, when the intent's own check
 * says it is the one this run made (`adopt.ours`: made after the run started, with the values it
 * sent), takes it as the step's result instead of failing or making a second one. An object whose
 * result Graph shows only once (a Temporary Access Pass) declares `adopt.replace`: the run's own
 * object is deleted and made again, so its new value can be delivered and none is left orphaned.
 * A lost create the look-up cannot find did not happen, and is sent again.
 */
import type { KindAnswer } from "../core/step-kind";
import type { CompiledStep } from "../language/spec/types";
import { holds } from "./conditions";
import { matchesAnswer } from "./outcomes";
import { scopeWith } from "./scope";
import { renderWith } from "./step-input";

export interface AdoptionContext {
  step: CompiledStep;
  scope: object;
  /** True when an earlier execution of this run may have made the object (a retry, a takeover, a resume). */
  retrying: boolean;
  /** Sends one request of the step's kind; a refusal is an answer, only a failure to get one throws. */
  send(input: unknown): Promise<KindAnswer>;
  /** Sends the step's own create again. */
  resend(): Promise<KindAnswer>;
}

export interface Adoption {
  answer: KindAnswer;
  /** True when the answer is the look-up of an object the run had made: the step changed the tenant. */
  adopted: boolean;
}

/** Why this answer calls for a look-up: its outcome is unknown, or it says the object exists on a retry. */
function reason(ctx: AdoptionContext, answer: KindAnswer | undefined, retrying: boolean): "lost" | "exists" | undefined {
  if (answer === undefined) return "lost";
  const classification = ctx.step.kind.classify(answer.response);
  if (classification.outcomeUnknown) return "lost";
  return retrying && matchesAnswer(ctx.step.adopt?.match, classification) ? "exists" : undefined;
}

/** The look-up's answer when it shows the object this run made, else undefined. */
async function findOurs(ctx: AdoptionContext): Promise<KindAnswer | undefined> {
  const adopt = ctx.step.adopt!;
  const found = await ctx.send(renderWith(ctx.step, adopt.find, ctx.scope));
  if (!ctx.step.kind.classify(found.response).success) return undefined;
  return holds(adopt.ours, scopeWith(ctx.scope, "response", found.response)) ? found : undefined;
}

/**
 * The answer the step settles with, or undefined to keep its first answer (or error). `first` is
 * undefined when the kind threw without an answer whose request may have been carried out.
 */
export async function adoptOrRetry(ctx: AdoptionContext, first: KindAnswer | undefined): Promise<Adoption | undefined> {
  const adopt = ctx.step.adopt!;
  let answer = first;
  let retrying = ctx.retrying;
  // Two rounds at most: a lost create, then (when Graph had not shown the object yet) its resend's "exists".
  for (let round = 0; round < 2; round++) {
    const why = reason(ctx, answer, retrying);
    if (!why) break;
    const found = await findOurs(ctx);
    if (found && adopt.replace) {
      await ctx.send(renderWith(ctx.step, adopt.replace, scopeWith(ctx.scope, "response", found.response)));
      return { answer: await ctx.resend(), adopted: false };
    }
    if (found) return { answer: found, adopted: true };
    // Not there, or not ours: an "exists" stands as Graph's refusal; a lost create did not happen.
    if (why === "exists") break;
    answer = await ctx.resend();
    retrying = true;
  }
  return answer === first ? undefined : answer && { answer, adopted: false };
}
