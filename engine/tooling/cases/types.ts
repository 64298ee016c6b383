/** The shape of an intent's own test cases (`intents/cases/<intent>.cases.yaml`, schemas/intent-cases.schema.json). */
import type { FaultRuleInput } from "../../../sandbox";
import type { PolicyRuleSpec } from "../../language/policy/types";
import type { RunStatus, StepStatus } from "../../runtime/types";

/** One Graph or ARM request the case expects, as the sandbox logged it (paths without `/v1.0`). */
export interface ExpectedRequest {
  method: string;
  /** A `*` segment matches any one segment (an id the sandbox made up). */
  path: string;
  /** Exact query when given. */
  query?: Record<string, string>;
  /** Exact body when given (secrets appear as `***`: the sandbox log masks them). */
  body?: unknown;
  status?: number;
  /** True when the request travelled inside a `$batch`. */
  batched?: boolean;
}

/** Changes to the demo tenant before the case runs: users by UPN, groups by id, SKUs by part number. */
export interface FixturePatch {
  users?: Record<string, Record<string, unknown>>;
  groups?: Record<string, Record<string, unknown>>;
  skus?: Record<string, Record<string, unknown>>;
  addUsers?: Array<Record<string, unknown>>;
  addGroups?: Array<Record<string, unknown>>;
  /** The application permissions the app holds (absent = all); a call needing another answers 403. */
  permissions?: string[];
}

export interface ExpectedGroupState {
  /** UPNs that must be direct members. */
  includes?: string[];
  /** UPNs that must not be direct members. */
  excludes?: string[];
}

/** The final sandbox state: users by UPN (subset match), groups by id, SKUs by part number, mail count. */
export interface ExpectedState {
  users?: Record<string, Record<string, unknown> | null>;
  groups?: Record<string, ExpectedGroupState>;
  skus?: Record<string, Record<string, unknown>>;
  sentMail?: number;
}

export interface CaseExpectation {
  /** For invalid input: the field errors mapFields must report (nothing runs). */
  fieldErrors?: Array<{ field: string; message?: string }>;
  status?: RunStatus;
  /** What requester policy decided: the decision, and the rule's source and reason. */
  policy?: { decision?: string; source?: string; reason?: string };
  message?: string;
  error?: { code: string; message?: string };
  steps?: Record<string, StepStatus>;
  outputs?: Record<string, unknown>;
  /** Every request, in order (the `$batch` envelopes left out: their items are listed). */
  requests?: Array<ExpectedRequest | string>;
  state?: ExpectedState;
}

export interface IntentCase {
  name: string;
  /** Thread's intent_fields, label → value. */
  fields: Record<string, unknown>;
  settings?: Record<string, string>;
  /** meta_data.contact_email; default: the value of the intent's target field (self-service). */
  requester?: string;
  /** The deployment's rule for this intent in this case. */
  policy?: PolicyRuleSpec;
  fixture?: FixturePatch;
  faults?: FaultRuleInput[];
  expect: CaseExpectation;
}

export interface CaseFile {
  intent: string;
  file: string;
  cases: IntentCase[];
}

export interface CaseOutcome {
  intent: string;
  name: string;
  passed: boolean;
  /** What differed, one line each. */
  problems: string[];
  /** For a failed case: the step that decided the run, its error, and the request and answer that decided it. */
  explanation?: string[];
  durationMs: number;
}
