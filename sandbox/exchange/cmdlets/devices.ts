/** Get-MobileDevice (a mailbox's phones and tablets) and Remove-MobileDevice (one partnership). */
import { deviceIdentity, removeMobileDevice as removeDevice } from "../changes";
import { resolveMailbox } from "../recipients";
import { done, type CmdletHandler } from "./types";

export const getMobileDevice: CmdletHandler = (tenant, p) => {
  const found = resolveMailbox(tenant, String(p.Mailbox));
  if ("error" in found) return found;
  const { user, mailbox } = found;
  return done(
    (mailbox.mobileDevices ?? []).map((device) => ({
      Identity: deviceIdentity(user.userPrincipalName, device.deviceType, device.deviceId),
      Guid: device.guid,
      FriendlyName: device.friendlyName,
      DeviceId: device.deviceId,
      DeviceModel: device.deviceModel,
      DeviceOS: device.deviceOS,
      DeviceType: device.deviceType,
      ClientType: device.clientType,
      FirstSyncTime: device.firstSyncTime,
      UserDisplayName: user.displayName,
    })),
  );
};

export const removeMobileDevice: CmdletHandler = (tenant, p) => {
  const result = removeDevice(tenant, String(p.Identity));
  return typeof result === "object" ? result : done();
};
