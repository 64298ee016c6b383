import { hash } from "node:crypto";

/**
 * The Automation job name of one step of one run: a GUID-shaped SHA-256 of run id and step id.
 * Job - Create is a PUT to a name the caller chooses, so a retry or a redelivered run targets the
 * same job instead of starting a second one.
 */
export function deterministicJobName(runId: string, stepId: string): string {
  // One-shot hash: half the cost of a Hash object, on the path of every runbook step.
  const hex = hash("sha256", `${runId}\u0000${stepId}`, "hex");
  // Version 5 and RFC 4122 variant bits, so the name reads as the name-based GUID it is.
  const version = `5${hex.slice(13, 16)}`;
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}-${variant}-${hex.slice(20, 32)}`;
}
