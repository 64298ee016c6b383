/**
 * Imported first by every module that registers functions, so OpenTelemetry (when configured) is
 * in place before the clients load. Outside any invocation, its one possible event goes to the
 * console, which the Functions host keeps as a log line.
 */
import { jsonEventSink } from "../../core/events";
import { startTelemetry } from "./telemetry";

startTelemetry(process.env, jsonEventSink((line) => console.warn(line)));
