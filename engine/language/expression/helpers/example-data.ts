/** Groups the list helpers' examples read: one Graph-managed, one distribution list, one dynamic. */
export const EXAMPLE_GROUPS = [
  { id: "mailEnabled", groupTypes: ["Unified"] },
  { id: "dl", groupTypes: [] },
  { id: "rule", groupTypes: ["DynamicMembership"] },
];
