/** Every Graph route of the sandbox, by resource. `$batch` is handled before routing (sandbox/graph/batch.ts). */
import type { Route } from "../graph/types";
import { AUTH_METHOD_ROUTES } from "./auth-methods";
import { DIRECTORY_ROLE_ROUTES } from "./directory-roles";
import { ROLE_SCHEDULE_ROUTES } from "./role-schedules";
import { DRIVE_ROUTES } from "./drive";
import { GROUP_ROUTES } from "./groups";
import { INBOX_RULE_ROUTES } from "./inbox-rules";
import { LICENSE_ROUTES } from "./licenses";
import { MAIL_ROUTES } from "./mail";
import { RELATION_ROUTES } from "./relations";
import { USER_ROUTES } from "./users";
import { SUBSCRIPTION_ROUTES } from "../subscriptions/routes";

export const GRAPH_ROUTES: readonly Route[] = [
  ...USER_ROUTES, ...RELATION_ROUTES, ...GROUP_ROUTES, ...DIRECTORY_ROLE_ROUTES, ...ROLE_SCHEDULE_ROUTES, ...LICENSE_ROUTES, ...AUTH_METHOD_ROUTES, ...MAIL_ROUTES, ...INBOX_RULE_ROUTES, ...DRIVE_ROUTES, ...SUBSCRIPTION_ROUTES,
];
