import type { FakeIntent } from "./fake-engine";

export const ADD_TO_GROUP: FakeIntent = {
  name: "Add User to Group",
  aliases: ["Group Add"],
  fields: [{ label: "User Email", variable: "user" }, { label: "Group Name", variable: "group" }],
  steps: [{ id: "add", path: "/groups/{group}/members/$ref" }],
};

export const PASSWORD_RESET: FakeIntent = {
  name: "Password Reset",
  aliases: [],
  fields: [{ label: "User Email", variable: "user" }, { label: "Temporary Password", variable: "password", secret: true }],
  steps: [{ id: "reset", path: "/users/{user}/reset" }],
};

/** Three writes, the second slow enough to pass the HTTP budget. */
export const OFFBOARDING: FakeIntent = {
  name: "User Offboarding",
  aliases: ["Disable Account", "User Offboarding / Disable Account"],
  fields: [{ label: "User Email", variable: "user" }],
  steps: [{ id: "disable", path: "/users/{user}/disable" }, { id: "slow", path: "/users/{user}/revoke" }, { id: "convert", path: "/users/{user}/convert" }],
  slowMs: 10_000,
};

/** Three quick writes, for crash-and-resume tests. */
export const THREE_WRITES: FakeIntent = {
  name: "Three Writes",
  aliases: [],
  fields: [{ label: "User Email", variable: "user" }],
  steps: [{ id: "first", path: "/users/{user}/first" }, { id: "second", path: "/users/{user}/second" }, { id: "third", path: "/users/{user}/third" }],
};
