/**
 * The sandbox tenant's state: plain JSON-able data, so a fixture file, `GET/PUT /_sandbox/state`
 * and the in-memory tenant are one shape. Graph routes, the Exchange admin API (sandbox/exchange)
 * and the ARM runbook effects (sandbox/arm) all read and change it in place.
 */

export interface TenantFixture {
  tenantId: string;
  /** Display name of the organisation, used in sent-mail and SKU account names. */
  organizationName?: string;
  domains: DomainRecord[];
  users: UserRecord[];
  groups: GroupRecord[];
  /** Activated Entra directory roles and who holds them (users, or role-assignable groups). */
  directoryRoles?: DirectoryRoleRecord[];
  /** Eligible role assignments (Privileged Identity Management): a user or role-assignable group, a role template. */
  roleEligibilities?: RoleEligibilityRecord[];
  /** Roles held in an administrative unit (scopedRoleMembership): not in the user's memberOf. */
  scopedRoleMemberships?: ScopedRoleMembershipRecord[];
  /** False: the tenant has no licence for PIM, and its eligibility list answers 400 AadPremiumLicenseRequired. */
  pimLicensed?: boolean;
  skus: SkuRecord[];
  /**
   * Application permissions the calling app holds (e.g. "User.ReadWrite.All"). Absent = every
   * permission granted; a call needing a missing one answers 403 Authorization_RequestDenied.
   */
  permissions?: string[];
  /**
   * Exchange cmdlets the app's Exchange roles hold (admin API). Absent = every one; another answers
   * 403 without a body, as Exchange does. `permissions`, when listed, must hold Exchange.ManageAsApp.
   */
  exchangeCmdlets?: string[];
  /** Mail accepted by sendMail, newest last. */
  sentMail?: SentMail[];
}

/** The live tenant: a loaded fixture with every optional collection filled in. */
export interface TenantState extends TenantFixture {
  directoryRoles: DirectoryRoleRecord[];
  sentMail: SentMail[];
}

export interface DomainRecord {
  id: string; // the domain name, e.g. "contoso.com"
  isVerified: boolean;
  isDefault: boolean;
  isInitial: boolean;
  authenticationType: "Managed" | "Federated";
}

export interface UserRecord {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mailNickname: string;
  accountEnabled: boolean;
  userType: "Member" | "Guest";
  givenName?: string | null;
  surname?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  mail?: string | null;
  /**
   * Exchange's addresses of the user as Graph lists them: "SMTP:" the primary (= mail), "smtp:"
   * each other address the mailbox receives at. Absent = just the primary, when there is a mail.
   */
  proxyAddresses?: string[];
  mobilePhone?: string | null;
  officeLocation?: string | null;
  preferredLanguage?: string | null;
  businessPhones?: string[];
  usageLocation?: string | null;
  /** When the person starts (ISO 8601), as HR or onboarding sets it. */
  employeeHireDate?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  createdDateTime?: string;
  /** Object id of the manager (a user). */
  managerId?: string | null;
  assignedLicenses: AssignedLicense[];
  /** Never the password itself: the sandbox keeps only when it changed and the reset flag. */
  passwordProfile?: { forceChangePasswordNextSignIn: boolean; lastChangedDateTime?: string };
  /** Set by revokeSignInSessions. */
  signInSessionsValidFromDateTime?: string;
  authenticationMethods: AuthenticationMethodRecord[];
  /** Id of the default MFA method (v1.0 cannot read it, but deleting it first is refused). */
  defaultAuthenticationMethodId?: string | null;
  /** Exchange Online mailbox; absent = the user has no mailbox. */
  mailbox?: MailboxRecord | null;
  /** The user's OneDrive; absent or null = not provisioned yet (Graph: "User's mysite not found."). */
  drive?: DriveRecord | null;
}

/** A OneDrive: its root folder's sharing permissions (the owner's included, as Graph lists them). */
export interface DriveRecord {
  id: string;
  webUrl: string;
  /** Permissions on the root folder, i.e. on the whole drive. */
  rootPermissions: DrivePermissionRecord[];
}

export interface DrivePermissionRecord {
  id: string;
  /** read | write | owner */
  roles: string[];
  /** Object id of the user it is granted to. */
  userId: string;
}

export interface AssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

export type AuthenticationMethodType =
  | "password"
  | "phone"
  | "email"
  | "fido2"
  | "microsoftAuthenticator"
  | "softwareOath"
  | "windowsHelloForBusiness"
  | "temporaryAccessPass";

export interface AuthenticationMethodRecord {
  id: string;
  type: AuthenticationMethodType;
  /** Type-specific properties as Graph returns them (phoneNumber, phoneType, displayName, …). */
  properties?: Record<string, unknown>;
}

/** A mailbox as Exchange keeps it; Exchange work changes it only through sandbox/exchange/changes.ts. */
export interface MailboxRecord {
  type: "UserMailbox" | "SharedMailbox";
  hiddenFromAddressListsEnabled: boolean;
  forwardingSmtpAddress: string | null;
  deliverToMailboxAndForward: boolean;
  /** UPNs or object ids of those holding the permission. */
  fullAccess: string[];
  /**
   * Full Access holders whose Outlook opens the mailbox by itself (Add-MailboxPermission
   * -AutoMapping, on unless turned off when the permission is granted); absent = none.
   */
  automapped?: string[];
  sendAs: string[];
  sendOnBehalf: string[];
  automaticReplies: AutomaticRepliesSetting;
  timeZone?: string;
  language?: { locale: string; displayName: string };
  /** Rules on the Inbox (Graph messageRule); absent = none. */
  inboxRules?: InboxRuleRecord[];
  /** Phones and tablets that sync the mailbox (Exchange ActiveSync, Outlook mobile); absent = none. */
  mobileDevices?: MobileDeviceRecord[];
  /** The mailbox's calendar items; absent = none. */
  calendarEvents?: CalendarEventRecord[];
  /** Who else holds rights on this mailbox's Calendar folder (Default and Anonymous are not listed). */
  calendarPermissions?: FolderPermissionRecord[];
}

/** An Inbox rule as Graph's messageRule shows it. */
export interface InboxRuleRecord {
  id: string;
  displayName: string;
  sequence: number;
  isEnabled: boolean;
  hasError?: boolean;
  isReadOnly?: boolean;
  conditions?: Record<string, unknown>;
  actions?: Record<string, unknown>;
  exceptions?: Record<string, unknown>;
}

/** A device partnership as Get-MobileDevice shows it. */
export interface MobileDeviceRecord {
  /** The partnership's Guid: what Remove-MobileDevice -Identity takes. */
  guid: string;
  friendlyName: string;
  deviceId: string;
  deviceModel: string;
  deviceOS: string;
  deviceType: string;
  clientType: "EAS" | "Outlook";
  firstSyncTime: string;
}

/** A calendar item: organised by the mailbox's owner (isOrganizer) or received from someone else. */
export interface CalendarEventRecord {
  id: string;
  subject: string;
  /** ISO 8601, UTC. */
  start: string;
  end: string;
  isOrganizer: boolean;
  /** Addresses of attendees and resources; a meeting has at least one, an appointment none. */
  attendees: string[];
  /** Set when the organiser cancelled it (attendees were sent a cancellation). */
  isCancelled: boolean;
}

/** A folder permission entry (Add/Set/Remove-MailboxFolderPermission). */
export interface FolderPermissionRecord {
  /** UPN or object id of the user holding it. */
  user: string;
  /** e.g. Reviewer, Editor, Author, Owner. */
  accessRights: string[];
}

export interface AutomaticRepliesSetting {
  status: "disabled" | "alwaysEnabled" | "scheduled";
  externalAudience: "none" | "contactsOnly" | "all";
  internalReplyMessage: string;
  externalReplyMessage: string;
  scheduledStartDateTime?: { dateTime: string; timeZone: string };
  scheduledEndDateTime?: { dateTime: string; timeZone: string };
}

export interface GroupRecord {
  id: string;
  displayName: string;
  description?: string | null;
  /** "Unified" = Microsoft 365 group; "DynamicMembership" = rule-driven members. */
  groupTypes: string[];
  mailEnabled: boolean;
  securityEnabled: boolean;
  mail?: string | null;
  mailNickname: string;
  membershipRule?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  isAssignableToRole?: boolean | null;
  /**
   * Object ids of direct members: users, or groups (nested). Mail-enabled security and
   * distribution groups change through Exchange (runbooks).
   */
  members: string[];
  /** Object ids of owner users. */
  owners?: string[];
}

/** An activated directory role (Graph `directoryRole`): its members hold the role tenant-wide. */
export interface RoleEligibilityRecord {
  principalId: string;
  roleTemplateId: string;
  /** "/" (the tenant, the default) or "/administrativeUnits/{id}". */
  directoryScopeId?: string;
}

export interface ScopedRoleMembershipRecord {
  userId: string;
  /** The directoryRole's object id. */
  roleId: string;
  administrativeUnitId: string;
}

export interface DirectoryRoleRecord {
  id: string;
  /** The role definition's template id, the same in every tenant (Global Administrator: 62e90394-…). */
  roleTemplateId: string;
  displayName: string;
  description?: string | null;
  /** Object ids of users and role-assignable groups holding the role. */
  members: string[];
}

export interface SkuRecord {
  skuId: string;
  skuPartNumber: string;
  capabilityStatus: "Enabled" | "Suspended" | "Warning" | "LockedOut";
  /** Seats bought; consumed seats are counted from the users' assignedLicenses. */
  prepaidUnits: { enabled: number; lockedOut: number; suspended: number; warning: number };
  servicePlans: { servicePlanId: string; servicePlanName: string; provisioningStatus: string; appliesTo: string }[];
}

export interface SentMail {
  id: string;
  /** Object id of the sending user. */
  from: string;
  sentDateTime: string;
  message: {
    subject?: string;
    body?: { contentType: string; content: string };
    toRecipients?: { emailAddress: { address: string; name?: string } }[];
    ccRecipients?: { emailAddress: { address: string; name?: string } }[];
    bccRecipients?: { emailAddress: { address: string; name?: string } }[];
  };
  saveToSentItems: boolean;
}
