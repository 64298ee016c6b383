/**
 * A run's plan as the approver reads it: what each write step will change, with the tenant's
 * current value beside the new one where it can be read ("accountEnabled: true → false"), and
 * what could not be planned before earlier changes exist. Secrets are masked before a plan is made.
 */

/** One property a change sets. `before` is absent when the current value could not be read. */
export interface PlanField {
  name: string;
  before?: string;
  after: string;
  /** Already the value it will be set to. */
  unchanged?: boolean;
}

/** One write (or a for-each's writes of one kind, grouped: "remove from 4 groups"). */
export interface PlanChange {
  stepId: string;
  /** One line: "Update user adele.vance@contoso.com", "Remove adele.vance@contoso.com from 4 groups". */
  summary: string;
  fields: PlanField[];
  /** The names a grouped change covers (group names), in order. */
  items: string[];
  /**
   * Set on a change made after the plan's first one by a step's delay (`after: P30D`): when, so
   * nobody reads a deletion 30 days on as part of the day's changes. Not in the fingerprint.
   */
  later?: { at: string; words: string };
}

export interface Plan {
  changes: PlanChange[];
  /** Steps that depend on an earlier change's answer: they are decided when the run applies. */
  unplanned: string[];
  /** sha256 of the changes and unplanned steps: equal fingerprints, equal plans. */
  fingerprint: string;
  /**
   * When the first change is made, for a run that waits for its time (a start date, a step's
   * delay). Not in the fingerprint: the same changes at the time they were approved for are the
   * same plan when they are checked again on the day.
   */
  startsAt?: { at: string; words: string };
}
