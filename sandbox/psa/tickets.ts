/**
 * The tickets a PSA simulator knows and the notes written on them. Every ticket id below
 * `unknownFrom` exists (a PSA has far more tickets than a fixture could list); ids from there up
 * do not, so "unknown ticket" is one number away in a test or a demo.
 */
export const DEFAULT_UNKNOWN_FROM = 900_000;

export interface SimNote {
  id: number;
  ticketId: number;
  /** The note's text as the PSA stores it. */
  text: string;
  /** True when the PSA hides it from the customer. */
  internal: boolean;
  createdAt: string;
  /** The fields the client sent, for tests that check the vendor's body. */
  fields: Record<string, unknown>;
}

export class TicketBook {
  private readonly notes = new Map<number, SimNote[]>();
  private nextId = 1;

  constructor(private readonly now: () => number, private readonly unknownFrom = DEFAULT_UNKNOWN_FROM) {}

  /** A ticket id as the path or body gave it, or undefined when it is not a positive integer. */
  static parseId(value: unknown): number | undefined {
    const id = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  }

  exists(ticketId: number): boolean {
    return ticketId > 0 && ticketId < this.unknownFrom;
  }

  add(ticketId: number, note: Omit<SimNote, "id" | "ticketId" | "createdAt">): SimNote {
    const stored: SimNote = { id: this.nextId++, ticketId, createdAt: new Date(this.now()).toISOString(), ...note };
    const list = this.notes.get(ticketId) ?? [];
    list.push(stored);
    this.notes.set(ticketId, list);
    return stored;
  }

  list(ticketId: number): SimNote[] {
    return [...(this.notes.get(ticketId) ?? [])];
  }

  /** Every ticket that has notes, with them. */
  all(): Array<{ ticketId: number; notes: SimNote[] }> {
    return [...this.notes.entries()].sort(([a], [b]) => a - b).map(([ticketId, notes]) => ({ ticketId, notes: [...notes] }));
  }

  clear(): void {
    this.notes.clear();
  }
}
