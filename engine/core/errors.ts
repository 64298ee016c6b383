/**
 * Every error the engine reports carries a stable code from this table. The README's error-code
 * table is generated from it (`intents docs --errors`), so add new codes here and nowhere else.
 */
export const ERROR_CODES = {
  // ---- intent files: lint, load, compile -------------------------------------------------
  SPEC_YAML_SYNTAX: "The file is not valid YAML.",
  SPEC_SCHEMA: "The intent does not match schemas/intent.schema.json.",
  SPEC_API_VERSION: "The intent's apiVersion is not one this engine understands.",
  SPEC_DUPLICATE_STEP_ID: "Two steps share one id.",
  SPEC_DUPLICATE_FIELD_LABEL: "Two fields map the same Thread label.",
  SPEC_DUPLICATE_INTENT_NAME: "Two intents claim the same name or alias.",
  SPEC_UNKNOWN_STEP_KIND: "A step names a kind that is not registered.",
  SPEC_STEP_INPUT: "A step's input does not match its kind's input schema.",
  SPEC_TEMPLATE_SYNTAX: "A template does not parse.",
  SPEC_UNKNOWN_HELPER: "A template calls a helper outside the closed set.",
  SPEC_UNKNOWN_REFERENCE: "A template refers to a field, step or output that does not exist.",
  SPEC_FORWARD_REFERENCE: "A template refers to a step that runs later (or to itself).",
  SPEC_SECRET_NOT_ALLOWED: "A secret value is used where secrets may not go (paths, queries, headers, messages).",
  SPEC_GRAPH_UNKNOWN_SEGMENT: "A Graph path segment does not exist in the Graph v1.0 metadata.",
  SPEC_GRAPH_UNKNOWN_PROPERTY: "A Graph request body property, or a $select property, does not exist on the target type.",
  SPEC_RUNBOOK_UNKNOWN: "A runbook step names a runbook that is not in runbooks/runbooks.json.",
  SPEC_RUNBOOK_PARAMETER: "A runbook step passes an unknown parameter or misses a required one.",
  SPEC_CASE_INVALID: "An intent test case does not match its schema.",
  SPEC_TRIGGER_INVALID: "An intent's trigger leaves a required field unmapped or asks for a change type its resource does not have.",
  SPEC_ODATA_LITERAL: "An OData expression ($filter, $search) interpolates a value without the odata helper.",
  SPEC_URL_SLOT: "A URL slot (a Graph body's @odata.id or …@odata.bind) does not start with the Graph base written out, or a value in it does not fill one whole path segment.",
  SPEC_EXCHANGE_CMDLET: "An exchange:cmdlet step names a cmdlet outside engine/contracts/exchange-cmdlets.ts, or a parameter that cmdlet may not receive.",
  SPEC_HELPER_ARGUMENTS: "A helper is called with too few or too many arguments.",
  SPEC_UNKNOWN_FRAGMENT: "An intent uses a step fragment, request fragment or outcome set that no library defines.",
  SPEC_FRAGMENT_INPUT: "A fragment is used without an input it needs, with one it does not declare, or with a value of the wrong type.",
  SPEC_DUPLICATE_FRAGMENT: "Two libraries (or an intent and a library) define the same fragment, outcome set or predicate name.",
  SPEC_FIELD_DEFAULT: "A field's default is of the wrong type or outside its enum.",
  SPEC_UNKNOWN_FORMAT: "A field names a format the engine does not check.",
  SPEC_ENUM_VALUE: "A template compares a field with a value outside the field's enum.",
  SPEC_GRAPH_VALUE_TYPE: "A literal Graph request body value has the wrong type for its property.",
  SPEC_UNKNOWN_PERMISSION: "A Graph permission, Entra role or Exchange role name does not exist.",
  SPEC_PERMISSION_MISSING: "A request needs a Graph application permission, or an Exchange cmdlet an Exchange role, the intent does not declare.",
  SPEC_CASES_MISSING: "The intent's cases: file does not exist.",
  SPEC_SCHEDULE: "An intent's schedule.at is not one date or datetime field, its defaultTime cannot apply, or a step's after is zero.",
  SPEC_SNAPSHOT_WRITE: "A snapshot step would change something: a snapshot only reads, before anything changes.",

  // ---- requester policy file: lint, load ---------------------------------------------------
  POLICY_SCHEMA: "The policy file does not match schemas/policy.schema.json.",
  POLICY_INVALID: "The policy file names an intent that does not exist, has an unsupported apiVersion, or exempts a role that cannot be exempted.",

  // ---- webhook and HTTP surface -------------------------------------------------------------
  WEBHOOK_UNAUTHORIZED: "The X-Intent-Secret header is missing or wrong.",
  WEBHOOK_TOO_LARGE: "The request body is larger than 256 KiB.",
  WEBHOOK_BODY_TIMEOUT: "The request body did not arrive in time (BODY_TIMEOUT_MS); the request was cut off.",
  WEBHOOK_BAD_JSON: "The request body is not valid JSON.",
  WEBHOOK_INVALID: "The request body does not match schemas/webhook.schema.json.",
  INTENT_UNKNOWN: "No intent has this name or alias.",
  FIELD_INVALID: "One or more intent fields are missing or invalid.",
  REQUEST_URL_INVALID: "The request URL is malformed (a bad percent-escape).",
  RUN_NOT_FOUND: "No run has this id.",
  RUN_IN_PROGRESS: "The run is still in progress.",
  RUN_ABANDONED: "A long run's queued continuation failed too often, or could not be opened, or a run left by a stopped instance had no kept input to go on from, or its instance stopped under it more often than ABANDONED_RUN_MAX_TAKEOVERS, and the run was ended.",
  RUN_NOT_SCHEDULED: "The run is not waiting for a scheduled time (it is running or has ended), so there is no schedule to cancel.",
  NOTIFICATION_INVALID: "A change-notification request is not valid JSON or has no value array.",
  POLICY_DENIED: "Requester policy does not let this requester run this intent on this target (or the requester or target could not be found).",
  TARGET_PROTECTED: "The target is a protected account (a directory-role holder, a protected group's member, a protected account, or the engine's own mailbox): no webhook changes it.",
  APPROVAL_REQUIRED: "Requester policy asks for an approval before this run, and this deployment has approvals off (no APPROVAL_SIGNING_KEY, NOTIFICATION_MAILBOX or public address).",
  APPROVAL_NOT_FOUND: "No approval has this id.",
  APPROVAL_LINK_INVALID: "An approval link's token is malformed, altered, signed with another key, or belongs to another approval.",
  APPROVAL_FORM_INVALID: "An approval decision was posted without the form token of a page rendered for its link, or from another site.",
  APPROVAL_CLOSED: "The approval was already decided, replaced by a newer one, or cancelled: nothing runs twice.",
  APPROVAL_EXPIRED: "Nobody approved the run before its approval expired (APPROVAL_LIFETIME_HOURS); nothing was changed.",
  APPROVAL_NOT_APPROVER: "The person deciding is not one of the approval's approvers.",
  APPROVAL_SELF: "The requester may not approve their own request.",
  APPROVAL_DENIED: "An approver denied the run; nothing was changed.",
  APPROVAL_NO_APPROVER: "Requester policy asks for an approval, but nobody the rule names could be asked (no manager, no enabled group member, only the requester).",
  APPROVAL_MAIL_FAILED: "No approver's mail could be sent from the notification mailbox; nothing was changed.",
  UNDO_NOT_DECLARED: "The run's intent declares no undo: what it changed must be reversed by hand.",
  UNDO_RUN_IN_PROGRESS: "The run is still in progress; it can be undone once it has ended.",
  UNDO_NO_SNAPSHOT: "The run recorded no snapshot (it changed nothing, or ran before its intent declared one), so it cannot be undone.",
  UNDO_SNAPSHOT_EXPIRED: "The run's snapshot is past its retention (SNAPSHOT_RETENTION_DAYS) and was deleted, so it cannot be undone.",
  UNDO_PLAN_FAILED: "The undo plan could not be computed: the tenant as it is now could not be read. Nothing was changed.",
  UNDO_NOTHING_FOUND: "No finished run of the intent to undo was found for this target.",

  // ---- operator console ---------------------------------------------------------------------
  CONSOLE_UNAUTHENTICATED: "A console request came without a signed-in technician (no App Service Authentication principal, or no valid local session).",
  CONSOLE_FORBIDDEN: "The signed-in user is not a member of the console's technician group (CONSOLE_GROUP_ID).",
  CONSOLE_AUTH_UNAVAILABLE: "The console cannot sign anyone in here: App Service Authentication is off for the app, or CONSOLE_GROUP_ID is not set.",
  CONSOLE_TOKEN_INVALID: "A console action came without its session's anti-forgery token, or from another site.",
  CONSOLE_QUERY_INVALID: "A run-list filter, page size or continuation token is malformed.",
  CONSOLE_FEATURE_OFF: "The console action needs a part this deployment does not have (approvals, scheduling or undo).",
  RUN_NOT_RETRYABLE: "The run cannot be retried from the console: it did not end failed or partial, or no readable copy of its request is kept.",

  // ---- run time ---------------------------------------------------------------------------
  POLICY_LOOKUP_FAILED: "The requester or target could not be read from Microsoft Graph, so the request could not be judged; nothing was changed.",
  TEMPLATE_RENDER: "A template could not be rendered with the run's values.",
  TEMPLATE_URL_SEGMENT: "A value rendered into a URL slot (@odata.id, …@odata.bind) is empty, a dot segment, not text or not valid Unicode.",
  STEP_INPUT_INVALID: "A step's rendered input does not match its kind's input schema.",
  STEP_TIMEOUT: "A step did not finish within its timeout.",
  STEP_FAILED: "A step failed.",
  GRAPH_ERROR: "Microsoft Graph answered with an error.",
  GRAPH_THROTTLED: "Microsoft Graph kept throttling the request after every retry.",
  GRAPH_UNREACHABLE: "Microsoft Graph could not be reached.",
  GRAPH_AUTH: "No access token could be obtained for Microsoft Graph.",
  EXCHANGE_ERROR: "Exchange Online answered with an error.",
  EXCHANGE_NOT_FOUND: "Exchange Online found no mailbox, recipient or group by the identity given.",
  EXCHANGE_ALREADY_DONE: "Exchange Online reported the change as already in place (already exists, already a member, not a member, nothing modified).",
  EXCHANGE_PERMISSION_DENIED: "The app may not run the cmdlet: it lacks Exchange.ManageAsApp or an Exchange role that holds the cmdlet.",
  EXCHANGE_THROTTLED: "Exchange Online kept throttling the request after every retry.",
  EXCHANGE_UNREACHABLE: "Exchange Online could not be reached.",
  EXCHANGE_AUTH: "No access token could be obtained for Exchange Online.",
  EXCHANGE_CMDLET_REFUSED: "A rendered cmdlet or parameter is outside the allowed list; nothing was sent.",
  AUTOMATION_ERROR: "Azure Automation answered with an error.",
  RUNBOOK_FAILED: "The runbook job failed.",
  RUNBOOK_TIMEOUT: "The runbook job did not finish within the step's timeout.",
  SCHEDULE_CANCEL_FAILED: "A schedule:cancel step found no run of the ticket waiting for a scheduled time, no ticket, or no intent by the name given.",
  STORE_ERROR: "The run store (Azure Tables) failed.",
  BUDGET_DEFERRED: "A request was not sent because the run's time budget (RUN_BUDGET_MS) ran out while it waited for a connection; the run continues from the queue.",
  SNAPSHOT_NOT_RECORDED: "The state a run was about to change could not be recorded (for its undo), so the run changed nothing; it may be retried.",
  SUBSCRIPTION_FAILED: "Microsoft Graph refused to create, renew or reauthorize a change-notification subscription.",
  SECRET_REFUSED: "A secret value was refused: shorter than 8 characters (masking it would mask ordinary words) or not text.",
  SANDBOX_FIXTURE_INVALID: "The sandbox tenant fixture is missing, not JSON, or malformed.",
  CONFIG_MISSING: "A required setting is missing.",
  INTERNAL: "An unexpected error occurred.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorOptions {
  cause?: unknown;
  /** A sentence an engineer can act on. */
  fix?: string;
  /** Structured detail (per-field errors, candidates, …). Must never hold a secret. */
  details?: unknown;
  /** True when trying again later may succeed (throttling, outages). */
  retryable?: boolean;
  /** True when the request may have been carried out although no answer said so (a timeout, a dropped connection). */
  outcomeUnknown?: boolean;
}

/** The one error type the engine throws; subclasses only narrow the category. */
export class IntentError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | undefined;
  readonly details: unknown;
  readonly retryable: boolean;
  readonly outcomeUnknown: boolean;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.fix = options.fix;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
  }

  toJSON(): { code: ErrorCode; message: string; fix?: string; details?: unknown } {
    return {
      code: this.code,
      message: this.message,
      ...(this.fix === undefined ? {} : { fix: this.fix }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** Turns anything thrown into an IntentError without leaking its internals to a caller. */
export function ensureIntentError(thrown: unknown): IntentError {
  if (thrown instanceof IntentError) return thrown;
  const message = thrown instanceof Error ? thrown.message : typeof thrown === "string" ? thrown : "Unknown error";
  return new IntentError("INTERNAL", message, { cause: thrown });
}
