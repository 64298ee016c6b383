import { describe, expect, it } from "vitest";
import { ensureIntentError, IntentError } from "../engine/core/errors";

describe("IntentError", () => {
  it("keeps its code, fix and details and serialises without the cause", () => {
    const error = new IntentError("GRAPH_ERROR", "boom", { fix: "try again", details: { a: 1 }, cause: new Error("inner") });
    expect(error.toJSON()).toEqual({ code: "GRAPH_ERROR", message: "boom", fix: "try again", details: { a: 1 } });
    expect(error.name).toBe("IntentError");
  });

  it("normalises anything thrown into an INTERNAL error", () => {
    expect(ensureIntentError("text").code).toBe("INTERNAL");
    expect(ensureIntentError(undefined).message).toBe("Unknown error");
    const original = new IntentError("STORE_ERROR", "x");
    expect(ensureIntentError(original)).toBe(original);
  });
});
