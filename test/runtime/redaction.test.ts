import { describe, expect, it } from "vitest";
import { createRedactor } from "../../engine/core/redaction";
import { placeholder } from "../../engine/core/placeholder";

describe("redaction", () => {
  it("masks every secret wherever it appears, longest first, at any depth", () => {
    const redactor = createRedactor(["abc"]);
    redactor.add("abcdef");
    redactor.add("");
    expect(redactor.mask({ a: "x abcdef y abc", list: [{ deep: "abc" }], n: 3, ok: true, none: null })).toEqual({
      a: "x *** y ***",
      list: [{ deep: "***" }],
      n: 3,
      ok: true,
      none: null,
    });
    expect(redactor.secrets).toEqual(["abcdef", "abc"]);
  });

  it("turns plan placeholders into their text", () => {
    expect(createRedactor(["zz"]).mask({ v: placeholder("steps.a.output.id") })).toEqual({ v: "<steps.a.output.id>" });
  });
});
