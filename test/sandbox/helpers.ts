/** Starts a sandbox on a free port with a fixed clock, and speaks to it over real HTTP. */
import { startSandbox, type Sandbox, type TenantFixture } from "../../sandbox";

export const FIXED_NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

/** Ids from sandbox/fixtures/demo-tenant.json. */
export const DEMO = {
  adele: "047a86fd-4f51-5e2f-a12d-75c370f133fd",
  ben: "79872e11-b8f9-5815-b293-940378b17b00",
  grace: "7813fbed-0cb9-5367-ab73-549bf5fff44f",
  conor: "307e0ad1-2c7f-5009-b4bb-0aa272c89e79",
  diego: "bb0ba715-71e5-5835-bbb5-1755ee0d71bd",
  isaiah: "7e38e304-a3c5-5d9f-be88-4c49e2c3277e",
  admin: "36389116-791f-55c8-9212-05be78ec1c9a",
  johanna: "059f6b55-0136-5525-b7ff-83ed19190155",
  breakglass: "93657981-ad98-5fe8-a838-b1a79bb636ff",
  nestor: "b723fbcd-b2c5-50ca-9200-9d66a07188e1",
  megan: "eb5d64b7-dfea-5679-a435-e2528e72c5fe",
  pradeep: "993b5c38-09af-52c8-acc9-383b4cf91655",
  reception: "0e517a6e-d516-5480-83b8-f87f6302f546",
  guestUpn: "lee.gu_fabrikam.com#EXT#@contoso.onmicrosoft.com",
  marketing: "04075811-bc0f-5730-bbd5-3fc23d798f66",
  salesSecurity: "1c8a6ad8-bb58-5de3-a727-1a42a6d575a3",
  obriens: "b74fd5c8-8160-54ff-8ab6-8eb854310f03",
  allUsers: "2ac6d821-32bd-57e0-9fa3-d18215f852b5",
  financeApprovers: "001bd522-07ac-5406-9b03-da1d240b1639",
  allStaff: "1e553ad4-d2c6-5ac3-88cc-14445b65445b",
  hqAccess: "ea567834-50d7-5c3d-90fd-281860073b36",
  itDepartment: "72eba7ab-449c-5afe-9555-efd3244f4f24",
  helpdeskAdmins: "d69cff94-ae67-5f8a-8d89-8a9239381d5a",
  vipAccounts: "d0fc0e0d-7e86-5f36-8e82-85c22dcd7415",
  serviceDesk: "ecb8a00c-2ffe-5f18-b13c-9ddaf44730d2",
  globalAdminRole: "3db3b9a2-27c5-505c-a02f-7069b2edd98d",
  helpdeskAdminRole: "bf1a1ccb-f157-5ec2-8980-0fa7e0500892",
  globalAdminTemplate: "62e90394-69f5-4237-9190-012177145e10",
  e3: "05e9a617-0261-4cee-bb44-138d3ef5d965",
  e5: "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
} as const;

export function startTestSandbox(fixture?: TenantFixture): Promise<Sandbox> {
  return startSandbox({ now: () => FIXED_NOW, ...(fixture ? { fixture } : {}) });
}

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary Graph JSON
  body: any;
}

/** One Graph call with a bearer token; `path` is below /v1.0. */
export async function graph(sandbox: Sandbox, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${sandbox.graphBaseUrl}${path}`, {
    method,
    headers: { authorization: "Bearer test-token", ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** A call to the control surface (no token). */
export async function control(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export const NOT_FOUND = (id: string) => `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`;
