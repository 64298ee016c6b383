/**
 * One-time sign-in links for the local development server: `npm start` prints a link whose code
 * starts a console session once, within minutes, so the shared secret never goes into a URL.
 * Held in the server's memory, which is right for a local single process and never used in Azure.
 */
import { randomBytes } from "node:crypto";

const LIFETIME_MS = 15 * 60_000;

export class SignInCodes {
  private readonly codes = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  issue(): string {
    const code = randomBytes(24).toString("base64url");
    this.codes.set(code, this.now() + LIFETIME_MS);
    return code;
  }

  /** True once per code, within its lifetime. */
  redeem(code: string | null): boolean {
    if (!code) return false;
    const until = this.codes.get(code);
    this.codes.delete(code);
    return until !== undefined && until > this.now();
  }
}
