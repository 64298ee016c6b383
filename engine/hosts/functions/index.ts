/**
 * The Function App's entry: each handler as an exported plain function, registered with the
 * Functions host from the one route table the local server also serves. Outside the host (tests,
 * the local server) app.http is a no-op.
 */
import "./telemetry-start";
import { app } from "@azure/functions";
import { processConsole, processDeps } from "../compose/from-settings";
import { CONTINUATION_QUEUE } from "../../lifecycle/continue/continuation-queue";
import { eventsFor } from "./adapt";
import { reconcileOnFirstUse } from "./first-use";
import { continuationHandler, type HttpHandler } from "./handlers";
import { processNotificationDeps } from "./notification-deps";
import { httpRoutes } from "./routes";

const firstUse = reconcileOnFirstUse(processNotificationDeps);

/** The webhook answers at once; the first-use check runs beside it. */
function withFirstUse(handler: HttpHandler): HttpHandler {
  return (request, context) => {
    void firstUse(eventsFor(context));
    return handler(request, context);
  };
}

const routes = httpRoutes(processDeps, processConsole).map((route) => (route.name === "intent" ? { ...route, handler: withFirstUse(route.handler) } : route));

function handlerNamed(name: string): HttpHandler {
  const route = routes.find((candidate) => candidate.name === name);
  if (!route) throw new Error(`No route named ${name}`);
  return route.handler;
}

export const postIntent = handlerNamed("intent");
export const getRunStatus = handlerNamed("runStatus");
export const cancelSchedule = handlerNamed("cancelSchedule");
export const getHealth = handlerNamed("health");
export const continueRun = continuationHandler(processDeps);

for (const route of routes) {
  app.http(route.name, { methods: [route.method], authLevel: "anonymous", route: route.route, handler: route.handler });
}
app.storageQueue("continueRun", { queueName: CONTINUATION_QUEUE, connection: "AzureWebJobsStorage", handler: continueRun });
