/**
 * How Exchange Online's admin API words its refusals. A cmdlet failure is wrapped the same way
 * every time: `error.message` "Error executing cmdlet", and the reason in `error.details[].message`
 * as `<error id>|<exception type>|<text>` (captured answers; the 400 status and the outer code are
 * the sandbox's reading). Texts are Exchange's where known; README lists which are not verified.
 */

export interface CmdletError {
  status: number;
  /** Exchange's error id, e.g. `Ex6F9304` (ManagementObjectNotFoundException in captured answers). */
  id: string;
  /** The full .NET type, e.g. `Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException`. */
  exception: string;
  text: string;
}

const SERVER = "SANDBOX01A001.PROD.OUTLOOK.COM";

export function notFoundError(identity: string): CmdletError {
  return {
    status: 400,
    id: "Ex6F9304",
    exception: "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
    text: `The operation couldn't be performed because object '${identity}' couldn't be found on '${SERVER}'.`,
  };
}

export function recipientTaskError(text: string): CmdletError {
  return { status: 400, id: "ExB7A9C2", exception: "Microsoft.Exchange.Configuration.Tasks.RecipientTaskException", text };
}

export function memberNotFoundError(member: string, group: string): CmdletError {
  return {
    status: 400,
    id: "Ex2A9A84",
    exception: "Microsoft.Exchange.Management.Tasks.MemberNotFoundException",
    text: `The recipient "${member}" isn't a member of the group "${group}".`,
  };
}

export function parameterNotFoundError(cmdlet: string, name: string): CmdletError {
  return {
    status: 400,
    id: "",
    exception: "System.Management.Automation.ParameterBindingException",
    text: `A parameter cannot be found that matches parameter name '${name}'. (${cmdlet})`,
  };
}

export function parameterValueError(cmdlet: string, name: string, why: string): CmdletError {
  return {
    status: 400,
    id: "",
    exception: "System.Management.Automation.ParameterBindingException",
    text: `Cannot bind parameter '${name}' of ${cmdlet}: ${why}`,
  };
}

/** The JSON body of a cmdlet failure. */
export function cmdletErrorBody(error: CmdletError): unknown {
  return {
    error: {
      code: "BadRequest",
      message: "Error executing cmdlet",
      details: [{ code: "Client", target: "", message: `${error.id}|${error.exception}|${error.text}` }],
      innererror: { message: "Error executing cmdlet", type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException", stacktrace: "" },
    },
  };
}

/** An OData-level error (not a cmdlet's): bad body, unknown tenant, throttling, authentication. */
export function odataErrorBody(code: string, message: string): unknown {
  return { error: { code, message } };
}

/** Remove-MailboxFolderPermission for someone holding no entry on the folder. */
export function noPermissionEntryError(user: string): CmdletError {
  return {
    status: 400,
    id: "Ex3D6F6B",
    exception: "Microsoft.Exchange.Management.StoreTasks.UserNotFoundInPermissionEntryException",
    text: `There is no existing permission entry found for user: ${user}.`,
  };
}
