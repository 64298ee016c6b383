/** The contract every PSA connector keeps: post one note on a ticket, and look for one. */
import type { DeliveryOutcome } from "../http/delivery";

export const PSA_KINDS = ["connectwise", "autotask", "halopsa"] as const;
export type PsaKind = (typeof PSA_KINDS)[number];

/** Internal: technicians only. Customer: the end user sees it (portal, Thread, mail by the PSA's rules). */
export type NoteVisibility = "internal" | "customer";

export interface PsaNote {
  /** `meta_data.ticket_id`: digits. */
  ticketId: string;
  /** A short heading (Autotask's title; the first line elsewhere). */
  title: string;
  /** Plain text; it carries its own reference line, which `findNote` looks for. */
  text: string;
  visibility: NoteVisibility;
}

export type NoteLookup = { kind: "found" } | { kind: "absent" } | { kind: "unknown"; outcome: DeliveryOutcome };

export interface PsaConnector {
  readonly kind: PsaKind;
  /** One POST; whatever the PSA or the network answered comes back as an outcome, never thrown. */
  postNote(note: PsaNote): Promise<DeliveryOutcome>;
  /** Whether a note holding `marker` is already on the ticket (after a write whose answer was lost). */
  findNote(ticketId: string, marker: string): Promise<NoteLookup>;
  close(): Promise<void>;
}

/** A secret read when needed (Key Vault, cached), so a rotation needs no restart. */
export type SecretSource = () => Promise<string>;
