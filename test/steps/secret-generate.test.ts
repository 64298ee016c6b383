import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generatePassword, secretGenerate } from "../../engine/kinds/secret/generate";

const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/];

describe("secret:generate", () => {
  it("meets Entra complexity (all four classes) at any allowed length, without look-alike characters", () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 128 }), (length) => {
        const password = generatePassword(length);
        expect(password).toHaveLength(length);
        expect(classes.filter((c) => c.test(password))).toHaveLength(4);
        expect(password).not.toMatch(/[0O1lI|]/);
      }),
      { numRuns: 300 },
    );
  });

  it("defaults to 16 characters, never repeats, and declares its output secret", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => secretGenerate.run({}, {} as never)));
    const values = answers.map((a) => a.outputs?.value as string);
    expect(values.every((v) => v.length === 16)).toBe(true);
    expect(new Set(values).size).toBe(50);
    expect(secretGenerate.outputs?.value?.secret).toBe(true);
    expect(JSON.stringify(answers.map((a) => a.response))).not.toContain(values[0]);
  });
});
