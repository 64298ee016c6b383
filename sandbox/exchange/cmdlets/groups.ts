/** Remove-DistributionGroupMember: distribution lists and mail-enabled security groups. */
import { removeGroupMember } from "../changes";
import { done, type CmdletHandler } from "./types";

export const removeDistributionGroupMember: CmdletHandler = (tenant, p) => {
  const result = removeGroupMember(tenant, String(p.Identity), String(p.Member));
  return typeof result === "object" ? result : done();
};
