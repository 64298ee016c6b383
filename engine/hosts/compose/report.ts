/**
 * Reporting back, composed from the settings: the PSA connector PSA_KIND names (its secret read
 * from Key Vault when needed), the requester mail, the signed outbound webhook, the outbox table
 * and queue. The reporter goes into the pipeline; the delivery deps serve the queue trigger and
 * the sweeper. With nothing configured the reporter is silent and rows left from an earlier
 * configuration settle as failed when they come up.
 */
import type { QueueClient } from "@azure/storage-queue";
import type { GraphClient } from "../../clients/graph/types";
import { OutboundHttp } from "../../clients/http/outbound";
import { createAutotaskConnector, createConnectWiseConnector, createHaloConnector, type PsaConnector } from "../../clients/psa";
import { PSA_SECRET_SETTING, readPsaSettings, type PsaSettings } from "../../clients/psa/settings";
import { IntentError } from "../../core/errors";
import {
  OutboxReporter, OutboxStore, psaChannel, REPORT_OUTBOX_TABLE, REPORT_QUEUE, requesterMailChannel, silentReporter, StorageOutboxQueue, webhookChannel,
  type DeliverDeps, type OutboxQueue, type ReportChannels, type RunReporter,
} from "../../lifecycle/report";
import { readReportSettings } from "../../lifecycle/report/settings";
import { openQueue, openTable } from "../../lifecycle/store/tables";
import type { Clock } from "../../runtime/types";
import type { AppSettings, SecretSettings } from "../config";

type Env = Readonly<Record<string, string | undefined>>;

export interface ComposedReporting {
  reporter: RunReporter;
  /** What the queue trigger (deliverReport) and the sweeper (sweepReports) need. */
  delivery: DeliverDeps;
  /** The storage queue opened here, for a local poller playing the queue trigger. */
  queueClient: QueueClient;
  /** One line for the start banner. */
  describe: string;
  close(): Promise<void>;
}

export interface ReportingParts {
  graph: GraphClient;
  clock: Clock;
  secrets: SecretSettings;
  /** Replaces the storage queue (tests on a manual clock). */
  queue?: OutboxQueue;
}

function connectorFor(psa: PsaSettings, secrets: SecretSettings, clock: Clock): PsaConnector {
  const secret = () => secrets.require(PSA_SECRET_SETTING[psa.kind]);
  const now = () => clock.now();
  switch (psa.kind) {
    case "connectwise":
      return createConnectWiseConnector({ ...psa, privateKey: secret, now });
    case "autotask":
      return createAutotaskConnector({ ...psa, secret, ...(psa.apiBaseUrl ? { apiBaseUrl: psa.apiBaseUrl } : {}), now });
    case "halopsa":
      return createHaloConnector({ ...psa, clientSecret: secret, ...(psa.authUrl ? { authUrl: psa.authUrl } : {}), ...(psa.tenant ? { tenant: psa.tenant } : {}), now });
  }
}

export async function composeReporting(env: Env, settings: AppSettings, parts: ReportingParts): Promise<ComposedReporting> {
  const report = readReportSettings(env);
  const psa = readPsaSettings(env);
  if (report.requesterEmail && !settings.notificationMailbox) {
    throw new IntentError("CONFIG_MISSING", "REPORT_REQUESTER_EMAIL=true needs NOTIFICATION_MAILBOX to send from.", {
      fix: "Set NOTIFICATION_MAILBOX, or REPORT_REQUESTER_EMAIL=false.",
    });
  }
  // Refuse to start with a webhook nobody could verify, rather than send it unsigned.
  if (report.webhookUrl) await parts.secrets.require("REPORT_WEBHOOK_SECRET");
  const [table, queueClient] = await Promise.all([openTable(settings.storage, REPORT_OUTBOX_TABLE), openQueue(settings.storage, REPORT_QUEUE)]);
  const store = new OutboxStore(table);
  const queue = parts.queue ?? new StorageOutboxQueue(queueClient);
  const http = new OutboundHttp();
  const connector = psa ? connectorFor(psa, parts.secrets, parts.clock) : undefined;
  const channels: ReportChannels = {};
  if (connector) channels["psa-internal"] = channels["psa-customer"] = psaChannel(connector);
  if (report.requesterEmail && settings.notificationMailbox) channels["requester-mail"] = requesterMailChannel(parts.graph, settings.notificationMailbox, parts.clock);
  if (report.webhookUrl) channels.webhook = webhookChannel(http, report.webhookUrl, () => parts.secrets.require("REPORT_WEBHOOK_SECRET"), parts.clock);
  const targets = { psa: connector !== undefined, requesterMail: channels["requester-mail"] !== undefined, webhook: channels.webhook !== undefined };
  const configured = [psa ? `${psa.kind} notes` : "", targets.requesterMail ? "requester mail" : "", report.webhookUrl ? `webhook ${report.webhookUrl}` : ""].filter(Boolean);
  return {
    reporter: configured.length > 0 ? new OutboxReporter({ store, queue, clock: parts.clock, targets }) : silentReporter,
    delivery: { store, queue, channels, clock: parts.clock, maxAttempts: report.maxAttempts },
    queueClient,
    describe: `reporting back: ${configured.length > 0 ? configured.join(", ") : "nothing configured (PSA_KIND, REPORT_REQUESTER_EMAIL, REPORT_WEBHOOK_URL)"}`,
    close: async () => {
      await Promise.all([connector?.close(), http.close()]);
    },
  };
}
