/**
 * The outbox queue on the test's manual clock: Azure Storage Queues (and Azurite) hide a delayed
 * message on the wall clock, which a test cannot wait for, so this double keeps each message's
 * visible-at instant and hands over what is due when the test asks.
 */
import type { OutboxQueue, OutboxRef } from "../../../engine/lifecycle/report/outbox-queue";
import type { ManualClock } from "../../support/manual-clock";

export class ClockQueue implements OutboxQueue {
  readonly sent: Array<{ ref: OutboxRef; delayMs: number }> = [];
  private waiting: Array<{ ref: OutboxRef; visibleAt: number }> = [];

  constructor(private readonly clock: ManualClock) {}

  async send(ref: OutboxRef, delayMs: number): Promise<void> {
    this.sent.push({ ref, delayMs });
    this.waiting.push({ ref, visibleAt: this.clock.now() + delayMs });
  }

  get size(): number {
    return this.waiting.length;
  }

  /** Hands each visible message to the handler once (as base64 text, as the trigger would); returns how many. */
  async drain(handler: (raw: unknown) => Promise<void>): Promise<number> {
    const now = this.clock.now();
    const due = this.waiting.filter((m) => m.visibleAt <= now);
    this.waiting = this.waiting.filter((m) => m.visibleAt > now);
    for (const message of due) await handler(Buffer.from(JSON.stringify(message.ref)).toString("base64"));
    return due.length;
  }

  /** Moves the clock to the next message's instant (if any) and drains; false when nothing is left. */
  async step(handler: (raw: unknown) => Promise<void>): Promise<boolean> {
    if (this.waiting.length === 0) return false;
    const next = Math.min(...this.waiting.map((m) => m.visibleAt));
    if (next > this.clock.now()) this.clock.advance(next - this.clock.now());
    await this.drain(handler);
    return true;
  }

  /** Drops every waiting message: what a lost queue message looks like. */
  lose(): void {
    this.waiting = [];
  }
}
