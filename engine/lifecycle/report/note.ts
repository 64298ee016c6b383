/**
 * The two PSA notes of one state. The internal one tells the technician what was done and what
 * was not (each step in plain words), the error's suggested fix and the run id; the customer one
 * holds the end-user sentence only. Each ends with a reference line (`marker`) that the outbox
 * looks for after a write whose answer was lost. Every text is masked; the webhook's fields and
 * the requester's details are not written at all (the ticket already names its contact).
 */
import type { NoteContent, ReportState, StateReport } from "./types";
import { headline, reportRedactor, splitSteps, stateSentence, stepWords } from "./wording";

/** PSAs cap note text (Autotask at 32,000 characters); a note is far shorter unless a message runs away. */
const MAX_LINE = 500;

/** ASCII only, no quote, no % and no brackets: it sits inside ConnectWise's `like` condition. */
export function noteMarker(runId: string, state: ReportState, visibility: NoteContent["visibility"]): string {
  return `Reference: run ${runId}/${state}/${visibility}`;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
}

export function noteTitle(report: Pick<StateReport, "run" | "state">): string {
  return `${report.run.intentName}: ${headline(report.state)}`;
}

export function internalNote(report: StateReport): NoteContent {
  const redactor = reportRedactor(report.secretValues);
  const say = (text: string) => clip(redactor.mask(text));
  const marker = noteMarker(report.run.runId, report.state, "internal");
  const { done, notDone } = splitSteps(report.steps);
  const lines = [stateSentence(report.state)];
  if (report.detail) lines.push(say(report.detail));
  if (done.length > 0) lines.push("", "What was done:", ...done.map((step) => `- ${say(step.id)}: ${say(stepWords(step))}`));
  if (notDone.length > 0) lines.push("", "What was not done:", ...notDone.map((step) => `- ${say(step.id)}: ${say(stepWords(step))}`));
  if (report.steps.length === 0 && (report.state === "succeeded" || report.state === "partial" || report.state === "failed")) lines.push("", "No step ran.");
  const error = report.error ?? report.steps.find((step) => step.error)?.error;
  if (error && report.state !== "succeeded") {
    lines.push("", `Error: ${say(error.message)} (${say(String(error.code))})`);
    if (error.fix) lines.push(`Suggested fix: ${say(error.fix)}`);
  }
  lines.push("", `The requester was told: "${say(report.message)}"`, "", marker);
  return { title: noteTitle(report), text: lines.join("\n"), marker, visibility: "internal" };
}

export function customerNote(report: StateReport): NoteContent {
  const redactor = reportRedactor(report.secretValues);
  const marker = noteMarker(report.run.runId, report.state, "customer");
  return { title: noteTitle(report), text: `${clip(redactor.mask(report.message))}\n\n${marker}`, marker, visibility: "customer" };
}
