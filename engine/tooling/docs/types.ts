/**
 * What the permission computation and the docs generator read of an intent: the subset of core's
 * CompiledIntent they need, so both work on any catalog (and on small fixtures in tests).
 */
export interface DocumentedField {
  variable: string;
  label: string;
  type: string;
  required: boolean;
  default?: unknown;
  enum?: readonly unknown[];
  secret?: boolean;
  description?: string;
  format?: string;
}

export interface DocumentedIntent {
  name: string;
  aliases: readonly string[];
  description: string;
  risk: string;
  permissions: {
    graph: readonly string[];
    entraRoles: readonly string[];
    exchangeRoles: readonly string[];
  };
  fields: readonly DocumentedField[];
  file: string;
  /** The variable of the field naming the user the intent acts on; absent = no user. */
  target?: string;
  /** Who may ask, under the deployment's requester policy: the rule in words and where it is written. */
  requesters?: { rule: string; source: string };
}
