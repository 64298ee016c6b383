/**
 * Requests Microsoft's permission reference does not list (it is derived from API docs and misses
 * a few `$ref` forms), each as its API reference page states the application permissions, least
 * privileged first.
 */
export const SUPPLEMENT: Readonly<Record<string, { source: string; permissions: readonly string[] }>> = {
  // Add a member: POST /groups/{id}/members/$ref (the reference lists only GET and DELETE on members).
  "POST /groups/{id}/members": {
    source: "https://learn.microsoft.com/graph/api/group-post-members",
    permissions: ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  },
};
