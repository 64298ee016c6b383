/** `when` conditions: a template whose value decides whether a step (or an outcome rule) applies. */
import { truthy } from "../language/template/helpers";
import type { Template } from "../language/template/compile";

export function holds(condition: Template | undefined, scope: object): boolean {
  if (!condition) return true;
  const value = condition.render(scope);
  // A non-lone template renders to text; "false" and "" read as false like the lone forms do.
  if (typeof value === "string") return value.trim() !== "" && value.trim().toLowerCase() !== "false";
  return truthy(value);
}
