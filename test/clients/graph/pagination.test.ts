import { describe, expect, it } from "vitest";
import { createManualClock } from "../../support/manual-clock";
import { clientFor, serve } from "./helpers";
import { throttled } from "./scripted-server";

describe("getAll", () => {
  it("follows @odata.nextLink to the end, sending each skip token exactly as Graph wrote it", async () => {
    const clock = createManualClock();
    let origin = "";
    const server = await serve((request, index) => {
      if (index === 1) return throttled("1");
      const token = request.query.$skiptoken;
      if (token === undefined) return { status: 200, body: { value: [1, 2], "@odata.nextLink": `${origin}/v1.0/users?$skiptoken=a%2Bb%2F` } };
      if (token === "a+b/") return { status: 200, body: { value: [3], "@odata.nextLink": `${origin}/v1.0/users?$skiptoken=end` } };
      return { status: 200, body: { value: [4, 5] } };
    }, clock);
    origin = server.origin;
    const { client, events } = clientFor(server, { clock });
    const result = await client.getAll({ method: "GET", path: "/users", query: { $select: "id", $top: "2" } });
    expect(result).toEqual({ items: [1, 2, 3, 4, 5], pages: 3, attempts: 4 });
    expect(server.requests.map((r) => r.rawUrl)).toEqual([
      "/v1.0/users?$select=id&$top=2",
      "/v1.0/users?$skiptoken=a%2Bb%2F",
      "/v1.0/users?$skiptoken=a%2Bb%2F",
      "/v1.0/users?$skiptoken=end",
    ]);
    expect(events.filter((e) => e.name === "graph.request").map((e) => e.fields.path)).toEqual(["/users", "/users", "/users"]);
  });

  it("refuses a nextLink to another host and never sends the token there", async () => {
    const elsewhere = await serve(() => ({ status: 200, body: { value: ["stolen"] } }));
    const server = await serve(() => ({ status: 200, body: { value: [1], "@odata.nextLink": `${elsewhere.origin}/v1.0/users?$skiptoken=x` } }));
    const { client } = clientFor(server);
    await expect(client.getAll({ method: "GET", path: "/users" })).rejects.toMatchObject({
      code: "GRAPH_ERROR",
      message: expect.stringContaining("points to another host") as unknown,
    });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("throws the page's Graph error when a page fails", async () => {
    const server = await serve(() => ({
      status: 404,
      body: { error: { code: "Request_ResourceNotFound", message: "Resource 'g1' does not exist or one of its queried reference-property objects are not present." } },
    }));
    const { client } = clientFor(server);
    await expect(client.getAll({ method: "GET", path: "/groups/g1/members" })).rejects.toMatchObject({
      code: "GRAPH_ERROR",
      message: "[GET] /groups/g1/members: 404 Request_ResourceNotFound Resource 'g1' does not exist or one of its queried reference-property objects are not present.",
    });
  });
});
