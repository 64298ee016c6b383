/**
 * The approval page in a real browser (Debian's Chromium driven by playwright-core), with
 * JavaScript off as a cautious mail client's browser may have it: the approver opens the link from
 * their mail, reads the change as a diff (the manager before, struck through, and after), writes a
 * comment, clicks Approve, and sees the result; the run then makes exactly that change, and the
 * same link afterwards says it was already approved.
 *
 * Chromium missing is a failure, never a skip: `.ci/run` installs Debian's `chromium` package.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../sandbox";
import { startTestAzurite, type RunningAzurite } from "../support/azurite";
import { createManualClock } from "../support/manual-clock";
import { approvalMails, startApprovalStack, tenantWrites, type ApprovalStack } from "./support/stack";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const MIRIAM = "miriam.graham@contoso.com";
const ISAIAH = "isaiah.langer@contoso.com";
const GRACE = "grace.taylor@contoso.com";
const BEN = "ben.walters@contoso.com";

const clock = createManualClock(Date.parse("2026-12-02T09:00:00Z"));
let azurite: RunningAzurite;
let sandbox: Sandbox;
let stack: ApprovalStack;
let browser: Browser;
let context: BrowserContext;
const consoleLines: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Debian's Chromium is missing at ${CHROMIUM}: install it (apt-get install -y chromium); .ci/run does. The approval page's browser test never skips.`);
  }
  azurite = await startTestAzurite();
  sandbox = await startSandbox({ now: () => clock.now() });
  stack = await startApprovalStack({ sandbox, azurite, clock });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 800, height: 900 } });
}, 90_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
  await sandbox?.close();
  await azurite?.close();
});

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  // A style or form the page's Content-Security-Policy refused would show here.
  page.on("console", (message) => consoleLines.push(message.text()));
  return page;
}

function managerOf(upn: string): string | undefined {
  const users = sandbox.tenant.users;
  const managerId = users.find((user) => user.userPrincipalName === upn)?.managerId;
  return users.find((user) => user.id === managerId)?.userPrincipalName;
}

describe("the approval page in Chromium, without JavaScript", () => {
  it("shows the diff, takes the approver's Approve with a comment, shows the result, and the run makes that change once", async () => {
    expect(managerOf(MIRIAM)).toBe(ISAIAH);
    const before = sandbox.requests().length;
    const asked = await stack.post("Update Manager", { "User Email": MIRIAM, "Manager Email": GRACE }, BEN, 91_001);
    expect(asked.status).toBe(202);
    expect(asked.body.status).toBe("awaiting_approval");
    const link = approvalMails(sandbox, ISAIAH).at(-1)?.link ?? "";
    expect(link).toMatch(new RegExp(`^${stack.url}/api/approvals/${asked.body.approval.id}\\?t=`));

    const page = await newPage();
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    await expect(page.locator("h1").textContent()).resolves.toBe(`Approve Update Manager for ${MIRIAM}?`);
    await expect(page.locator("dl").innerText()).resolves.toMatch(/Requested by\s+ben\.walters \(ben\.walters@contoso\.com\)[\s\S]*Ticket\s+#91001/);

    // The diff: one change, the manager before (struck through) and after.
    const changes = page.locator("ol.plan > li");
    await expect(changes.count()).resolves.toBe(1);
    await expect(changes.first().locator("p").textContent()).resolves.toBe("Set the manager of Miriam Graham (miriam.graham@contoso.com)");
    await expect(changes.first().locator(".old").textContent()).resolves.toBe("Isaiah Langer (isaiah.langer@contoso.com)");
    await expect(changes.first().locator(".new").textContent()).resolves.toBe("Grace Taylor (grace.taylor@contoso.com)");
    expect(await changes.first().locator(".old").evaluate((node) => getComputedStyle(node).textDecorationLine)).toBe("line-through");
    await expect(page.locator("ol.plan").getAttribute("aria-labelledby")).resolves.toBe("changes");
    await expect(page.locator("script").count()).resolves.toBe(0);

    // Labelled controls, reached from the keyboard: the comment, then Approve.
    await page.getByLabel("Comment (optional, the requester sees it)").fill("Agreed with HR: Grace leads her team from Monday.");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Approve");
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    await expect(page.locator("h1").textContent()).resolves.toBe("Approved");
    await expect(page.locator("p").first().textContent()).resolves.toContain("The change is being made now.");
    expect(tenantWrites(sandbox, before)).toEqual([]);

    await stack.continueRuns();
    expect(managerOf(MIRIAM)).toBe(GRACE);
    const miriamId = sandbox.tenant.users.find((user) => user.userPrincipalName === MIRIAM)?.id;
    expect(tenantWrites(sandbox, before).map((write) => `${write.method} ${write.path}`)).toEqual([`PUT /v1.0/users/${miriamId}/manager/$ref`]);
    const run = await stack.getRun(asked.body.runId);
    expect(run.body).toMatchObject({
      status: "succeeded",
      approval: { state: "approved", via: "link", decidedBy: { address: ISAIAH }, comment: "Agreed with HR: Grace leads her team from Monday." },
    });

    // The same link again: the outcome, not a second form; nothing runs twice.
    const again = await page.goto(link);
    expect(again?.status()).toBe(409);
    await expect(page.locator("h1").textContent()).resolves.toBe("This request was already approved");
    await expect(page.locator("form").count()).resolves.toBe(0);
    await stack.continueRuns();
    expect(tenantWrites(sandbox, before)).toHaveLength(1);
    expect(consoleLines.filter((line) => /Content Security Policy|Refused/i.test(line))).toEqual([]);
  }, 60_000);
});

// The functions handed to page.evaluate run in the page: these name its globals for the compiler only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any, getComputedStyle: any;
