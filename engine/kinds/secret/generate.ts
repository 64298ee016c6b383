/** `secret:generate`: a CSPRNG password meeting Entra complexity; output `value` is a secret. */
import { randomInt } from "node:crypto";
import type { KindAnswer, StepKind } from "../../core/step-kind";

// Look-alike characters (0/O, 1/l/I, |) are left out so a password read aloud or from a mail is typed right.
const CLASSES = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!@#$%^&*-_=+?"] as const;
const ALL = CLASSES.join("");

/** One character from each of the four classes, the rest from all of them, then a CSPRNG shuffle. */
export function generatePassword(length = 16): string {
  const chars = CLASSES.map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(ALL[randomInt(ALL.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}

/** Needs no client: the kind is its own spec. */
export const secretGenerate: StepKind<{ length?: number }> = {
  id: "secret:generate",
  description: "Generates a password meeting Entra complexity (4 character classes, CSPRNG).",
  inputSchema: { type: "object", additionalProperties: false, properties: { length: { type: "integer", minimum: 12, maximum: 256 } } },
  outputs: { value: { secret: true, description: "The generated password." } },
  isReadOnly: () => true,
  describe: (input) => ({ generate: "password", length: input.length ?? 16 }),
  // Generating cannot fail short of an exception; there is no status to report.
  classify: () => ({ success: true }),
  async run(input): Promise<KindAnswer> {
    const length = input.length ?? 16;
    return { response: { length }, attempts: 1, outputs: { value: generatePassword(length) } };
  },
};
