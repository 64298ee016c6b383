/** The intent catalogue as the pipeline's engine port: one place for the Function App and the bench. */
import { mapFields } from "../../language/spec/fields";
import { scheduledStart } from "../../language/spec/schedule";
import type { Catalog, CompiledIntent } from "../../language/spec/types";
import { UTC_CALENDAR, type TenantCalendar } from "../../language/time/calendar";
import { judge, type GateSettings } from "../../lifecycle/policy/gate";
import type { IntentEngine } from "../../lifecycle/types";
import { execute, type ExecuteOptions } from "../../runtime/interpreter";
import { leadingReads } from "../../runtime/leading-reads";
import { isTimed } from "../../runtime/timing";

/** `gate`: the deployment's requester policy; `calendar`: the tenant's time zone and date order, for date fields, schedules and delays. */
export function catalogEngine(catalog: Catalog, gate: GateSettings, calendar: TenantCalendar = UTC_CALENDAR): IntentEngine<CompiledIntent> {
  // Arrow wrappers: the port must not depend on a catalogue's methods being free of `this`.
  return {
    find: (name) => catalog.find(name),
    supportedNames: () => catalog.supportedNames(),
    mapFields: (intent, fields) => mapFields(intent, fields, calendar),
    judge: (intent, { fields, run, settings, startBy, signal }) =>
      judge(gate, intent, fields, run.contactEmail, leadingReads(intent, fields, run, settings), { ...(startBy === undefined ? {} : { startBy }), ...(signal ? { signal } : {}) }),
    // Only a timed intent reads the calendar; the others keep the options object as it came.
    execute: (intent, options) => execute(intent, isTimed(intent) ? withCalendar(options, calendar) : options),
    scheduledStart(intent, fields) {
      const start = scheduledStart(intent, fields, calendar);
      return start && { at: start.at, field: { variable: start.field.variable, label: start.field.label } };
    },
  };
}

function withCalendar(options: ExecuteOptions, calendar: TenantCalendar): ExecuteOptions {
  return Object.assign({}, options, { calendar });
}
