import type { TokenCredentialOptions } from "@azure/identity";
import { request } from "undici";

type HttpClient = NonNullable<TokenCredentialOptions["httpClient"]>;
type PipelineRequest = Parameters<HttpClient["sendRequest"]>[0];
type PipelineResponse = Awaited<ReturnType<HttpClient["sendRequest"]>>;
type HttpHeaders = PipelineResponse["headers"];

/**
 * An @azure/identity HttpClient that sends every request to a loopback server instead of the
 * real authority. The credential keeps its https authority URLs (identity refuses http ones);
 * only the transport is redirected, so the credential's whole MSAL flow runs for real. `urls`
 * records where the credential meant to go.
 */
export function loopbackHttpClient(origin: string): HttpClient & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    async sendRequest(pipelineRequest: PipelineRequest): Promise<PipelineResponse> {
      urls.push(pipelineRequest.url);
      const target = new URL(pipelineRequest.url);
      const headers = Object.fromEntries([...pipelineRequest.headers].map(([name, value]) => [name, value]));
      const answer = await request(`${origin}${target.pathname}${target.search}`, {
        method: pipelineRequest.method,
        headers,
        body: typeof pipelineRequest.body === "string" ? pipelineRequest.body : null,
      });
      const responseHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(answer.headers)) if (typeof value === "string") responseHeaders[name] = value;
      return { request: pipelineRequest, status: answer.statusCode, headers: simpleHeaders(responseHeaders), bodyAsText: await answer.body.text() };
    },
  };
}

function simpleHeaders(initial: Record<string, string>): HttpHeaders {
  const map = new Map(Object.entries(initial).map(([name, value]) => [name.toLowerCase(), value]));
  const headers: HttpHeaders = {
    get: (name) => map.get(name.toLowerCase()),
    has: (name) => map.has(name.toLowerCase()),
    set: (name, value) => void map.set(name.toLowerCase(), String(value)),
    delete: (name) => void map.delete(name.toLowerCase()),
    toJSON: () => Object.fromEntries(map),
    [Symbol.iterator]: () => map.entries(),
  };
  return headers;
}
