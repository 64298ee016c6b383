/** Path placeholders are filled from params one segment each, whatever their number and order. */
import { describe, expect, it } from "vitest";
import { toGraphRequest } from "../../engine/kinds/graph/input";

describe("toGraphRequest paths", () => {
  it("fills every placeholder, repeated ones included, and keeps the text between them", () => {
    const request = { method: "DELETE" as const, path: "/groups/{groupId}/members/{userId}/$ref", params: { groupId: "g/1", userId: "a b" } };
    expect(toGraphRequest(request).path).toBe("/groups/g%2F1/members/a%20b/$ref");
    expect(toGraphRequest({ method: "GET", path: "/users/{id}/manager/{id}", params: { id: 7 } }).path).toBe("/users/7/manager/7");
    expect(toGraphRequest({ method: "GET", path: "/users/{id}", params: { id: "second" } }).path).toBe("/users/second");
    expect(toGraphRequest({ method: "GET", path: "/me" }).path).toBe("/me");
  });

  it("refuses the first placeholder without a value, before encoding anything after it", () => {
    expect(() => toGraphRequest({ method: "GET", path: "/groups/{groupId}/members/{userId}", params: { userId: ".." } })).toThrow(/\{groupId\} has no value/);
  });
});
