/**
 * User Offboarding asked for sign-in off and sessions revoked, nothing else: the Thread fields
 * that turn every other option off, for tests about the lifecycle around an offboarding (approval,
 * scheduling, recovery) rather than its options, whatever the deployment's defaults turn on.
 */
export const SIGN_OUT_ONLY: Readonly<Record<string, string>> = {
  "Reset Password": "No",
  "Hide from Address Book": "No",
  "Remove from Groups": "No",
  "Remove Inbox Rules": "No",
  "Remove Mobile Devices": "No",
  "Cancel Future Meetings": "No",
  "Set Out of Office": "No",
  "Forward Mail": "No",
  "Give Mailbox Access": "No",
  "Give OneDrive Access": "No",
  "Remove Access to Other Mailboxes": "No",
  "Convert to Shared Mailbox": "No",
  "Remove MFA Methods": "No",
  "Remove Licenses": "No",
};
