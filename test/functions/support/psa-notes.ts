/** Reading the notes the PSA simulators hold (the settings that point the app at them: psaSimulatorSettings). */
import type { PsaServer } from "../../../sandbox/psa";

/** The notes on a ticket as (internal?, state), internal first: retries may land them in either order. */
export function notesOn(psa: PsaServer, ticket: number): Array<{ internal: boolean; state: string | undefined }> {
  return psa.tickets.list(ticket)
    .map((n) => ({ internal: n.internal, state: /\/(\w+)\/(internal|customer)$/.exec(n.text)?.[1] }))
    .sort((a, b) => Number(b.internal) - Number(a.internal) || String(a.state).localeCompare(String(b.state)));
}
