/** Application permissions that allow each kind of call (any one suffices), per reference §11. */
export const USER_READ = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
export const USER_WRITE = ["User.ReadWrite.All", "Directory.ReadWrite.All"];
export const GROUP_READ = ["Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All", "GroupMember.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
export const GROUP_MEMBER_WRITE = ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"];
export const MEMBER_OF_READ = [...USER_READ, "GroupMember.Read.All", "GroupMember.ReadWrite.All"];
export const DOMAIN_READ = ["Domain.Read.All", "Domain.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
export const SKU_READ = ["Organization.Read.All", "Organization.ReadWrite.All", "LicenseAssignment.Read.All", "LicenseAssignment.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
export const LICENSE_WRITE = [...USER_WRITE, "LicenseAssignment.ReadWrite.All"];
export const AUTH_METHOD_READ = ["UserAuthenticationMethod.Read.All", "UserAuthenticationMethod.ReadWrite.All"];
export const AUTH_METHOD_WRITE = ["UserAuthenticationMethod.ReadWrite.All"];
export const MAILBOX_SETTINGS_READ = ["MailboxSettings.Read", "MailboxSettings.ReadWrite"];
export const MAILBOX_SETTINGS_WRITE = ["MailboxSettings.ReadWrite"];
export const MAIL_SEND = ["Mail.Send"];
export const ROLE_READ = ["RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory", "Directory.Read.All", "Directory.ReadWrite.All"];
export const FILES_READ = ["Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"];
export const FILES_WRITE = ["Files.ReadWrite.All", "Sites.ReadWrite.All"];
