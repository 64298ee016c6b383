import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IntentError } from "../../engine/core/errors";
import { createRedactor, MASK, MIN_SECRET_LENGTH } from "../../engine/core/redaction";
import { placeholder } from "../../engine/core/placeholder";

/** Secrets as generated passwords and passes look: letters, digits and symbols, never a space. */
const secretChar = fc.constantFrom(..."ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%^&*-_=+?");
const secret = fc.array(secretChar, { minLength: MIN_SECRET_LENGTH, maxLength: 24 }).map((chars) => chars.join(""));
/** Any text at all, surrogates, line breaks and `***` included. */
const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), fc.constantFrom("", MASK, "x***y", "pass word", "Tap-"));
/** Text that can never form or touch a secret: no character a secret uses. */
const plainUnit = fc.constantFrom(..." ,.:;()[]{}|~`'\"\n\t\u00e9\u{1F600}");
const plainText = fc.string({ unit: plainUnit, maxLength: 20 });

describe("redaction", () => {
  it("masks every secret wherever it appears, at any depth, and leaves other values alone", () => {
    const redactor = createRedactor(["abcdefgh"]);
    redactor.add("abcdefghijkl");
    redactor.add("");
    redactor.add(null);
    expect(redactor.mask({ a: "x abcdefghijkl y abcdefgh", list: [{ deep: "abcdefgh" }], n: 3, ok: true, none: null })).toEqual({
      a: "x *** y ***",
      list: [{ deep: "***" }],
      n: 3,
      ok: true,
      none: null,
    });
    expect([...redactor.secrets].sort()).toEqual(["abcdefgh", "abcdefghijkl"]);
  });

  it("refuses a secret shorter than the minimum, or one that is not text, with SECRET_REFUSED", () => {
    const redactor = createRedactor();
    for (const short of ["a", "1234567", "\u{1F600}".repeat(MIN_SECRET_LENGTH - 1)]) {
      expect(() => redactor.add(short)).toThrow(IntentError);
      expect(() => redactor.add(short)).toThrow(/shorter than 8 characters/);
    }
    expect(() => redactor.add(1234)).toThrow(expect.objectContaining({ code: "SECRET_REFUSED" }));
    expect(() => redactor.add({ pass: "long-enough-pass" })).toThrow(expect.objectContaining({ code: "SECRET_REFUSED" }));
    expect(() => redactor.add(true)).toThrow(expect.objectContaining({ code: "SECRET_REFUSED" }));
    expect(() => createRedactor(["x"])).toThrow(expect.objectContaining({ code: "SECRET_REFUSED" }));
    // Eight characters counted as a reader counts them, not UTF-16 units; a long number is text.
    redactor.add("\u{1F600}".repeat(MIN_SECRET_LENGTH));
    redactor.add(12345678);
    expect(redactor.mask("pin 12345678.")).toBe("pin ***.");
    expect(redactor.secrets).toHaveLength(2);
  });

  it("masks overlapping and touching secrets as one stretch, whatever order they were added in", () => {
    for (const order of [["abcdefgh", "efghijkl"], ["efghijkl", "abcdefgh"]]) {
      const redactor = createRedactor(order);
      expect(redactor.mask("x abcdefghijkl y")).toBe("x *** y");
      expect(redactor.mask("abcdefghefghijkl")).toBe("***");
      expect(redactor.mask("abcdefgh abcdefg efghijk")).toBe("*** abcdefg efghijk");
    }
  });

  it("masks again when masking joins text into a secret that holds the mask", () => {
    const redactor = createRedactor(["XXXXXXXX", "***abcde"]);
    expect(redactor.mask("XXXXXXXXabcde!")).toBe("***!");
  });

  it("turns plan placeholders into their text", () => {
    expect(createRedactor(["zzzzzzzz"]).mask({ v: placeholder("steps.a.output.id") })).toEqual({ v: "<steps.a.output.id>" });
  });
});

describe("redaction properties", () => {
  it("never alters text in which no secret occurs", () => {
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 4 }), anyText, (secrets, text) => {
        fc.pre(secrets.every((s) => !text.includes(s)));
        expect(createRedactor(secrets).mask(text)).toBe(text);
        expect(createRedactor(secrets).mask({ text, list: [text] })).toEqual({ text, list: [text] });
      }),
      { numRuns: 500 },
    );
  });

  it("leaves no registered secret in the output, wherever it was put", () => {
    const piece = fc.oneof(anyText, secret);
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.nat(), piece), { maxLength: 8 }), (secrets, parts) => {
        // Secrets, pieces of text and prefixes/suffixes of secrets glued together in any order.
        const text = parts.map(([i, p]) => (i % 3 === 0 ? secrets[i % secrets.length]! : i % 3 === 1 ? p : p.slice(i % 5))).join("");
        const masked = createRedactor(secrets).mask(text);
        for (const s of secrets) expect(masked).not.toContain(s);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps every character around a secret: words next to a secret are never chopped", () => {
    // Separated by at least one character, so each secret is its own stretch.
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 3 }), fc.array(fc.tuple(fc.string({ unit: plainUnit, minLength: 1, maxLength: 20 }), fc.nat()), { minLength: 1, maxLength: 6 }), plainText, (secrets, parts, tail) => {
        const text = parts.map(([words, i]) => words + secrets[i % secrets.length]!).join("") + tail;
        const expected = parts.map(([words]) => words + MASK).join("") + tail;
        expect(createRedactor(secrets).mask(text)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("masks a secret that contains another, or overlaps it, with no fragment left over", () => {
    fc.assert(
      fc.property(secret, fc.nat(), fc.nat(), plainText, plainText, (long, cut, extra, before, after) => {
        // `inner` lies inside `long`; `overlap` starts inside `long` and runs past its end.
        const start = cut % (long.length - MIN_SECRET_LENGTH + 1);
        const inner = long.slice(start, start + MIN_SECRET_LENGTH);
        const overlap = long.slice(long.length - MIN_SECRET_LENGTH + 1) + "Z".repeat(1 + (extra % 4));
        const redactor = createRedactor([inner, overlap, long].slice(extra % 3));
        redactor.add(inner);
        redactor.add(overlap);
        const text = `${before}${long}${overlap.slice(MIN_SECRET_LENGTH - 1)}${after}`;
        expect(redactor.mask(text)).toBe(`${before}${MASK}${after}`);
      }),
      { numRuns: 500 },
    );
  });
});
