/**
 * The console in a real browser (Debian's Chromium driven by playwright-core) against `npm start`'s
 * stack: refused without a session; a failed run found by filter, its failing step and fix shown,
 * retried from the page to green; a scheduled run cancelled from the Scheduled section (once
 * confirmed, recorded with who did it); an approval from the inbox, by one of its approvers only,
 * letting the run proceed; a run's undo plan, its undo started from the page and followed to the
 * undo run, the tenant as before, nothing left to undo; a hostile field value shown as text; keyboard, labels, contrast,
 * a phone's width, first paint. With CONSOLE_SCREENSHOTS=1 it also writes the README's
 * screenshots (docs/images/console-*.png): `npm run screenshots`.
 *
 * Chromium missing is a failure, never a skip: `.ci/run` installs Debian's `chromium` package.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startConsoleStack, type ConsoleStack } from "./support/stack";

// The functions handed to page.evaluate run in the page: these name its globals for the compiler only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any, window: any, location: any, getComputedStyle: any;

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === "1" ? join(__dirname, "..", "..", "docs", "images") : undefined;
const XSS_GROUP = `<img src=x onerror="window.__xss=1">`;
const XSS_NAME = `<script>window.__xss=2</script>Eve`;

let env: ConsoleStack;
let profile: string;
let context: BrowserContext;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Debian's Chromium is missing at ${CHROMIUM}: install it (apt-get install -y chromium); .ci/run does. The console's browser tests never skip.`);
  }
  env = await startConsoleStack();
  profile = mkdtempSync(join(tmpdir(), "console-chromium-"));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 800 } });
}, 90_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await env?.close();
});

const open: Page[] = [];

const SERVICE_DESK = "megan.bowen@contoso.com";
const BEN = "ben.walters@contoso.com";
const DIEGO = "diego.siciliani@contoso.com";
/** Microsoft 365 Business Premium in the demo tenant: seats free. */
const SPB = "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46";

interface TenantUser { id: string; userPrincipalName: string; usageLocation?: string | null; assignedLicenses: Array<{ skuId: string; disabledPlans?: string[] }> }
interface TenantState { users: TenantUser[]; groups: Array<{ id: string; displayName: string; members: string[] }> }

const sandboxControl = () => env.stack.describe.find((line) => line.startsWith("sandbox tenant"))?.match(/control (http:\/\/[^/]+)/)?.[1];

/** The sandbox tenant as it is now, read from its control surface. */
async function tenant(): Promise<TenantState> {
  return (await (await fetch(`${sandboxControl()}/_sandbox/state`)).json()) as TenantState;
}

/** A fault rule in the sandbox until it is removed. */
async function sandboxFault(rule: Record<string, unknown>): Promise<{ remove(): Promise<void> }> {
  const added = await fetch(`${sandboxControl()}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
  expect(added.status).toBe(201);
  const { id } = (await added.json()) as { id: string };
  return { remove: async () => { expect((await fetch(`${sandboxControl()}/_sandbox/faults/${encodeURIComponent(id)}`, { method: "DELETE" })).status).toBe(204); } };
}

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  open.push(page);
  return page;
}

// A page left open in the background would not paint; each test opens its own.
afterEach(async () => {
  for (const page of open.splice(0)) await page.close();
});

/** A console page as the local operator, or acting as an address (an approver, a Service Desk member). */
async function signedInPage(actingAs?: string): Promise<Page> {
  const page = await newPage();
  await page.goto(env.stack.consoleSignInLink(actingAs));
  await page.waitForSelector("#runs-body");
  return page;
}

describe("the console in Chromium", () => {
  it("refuses a browser without a session: the sign-in form, no runs, the API 401", async () => {
    const stranger = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    try {
      const page = await stranger.newPage();
      const response = await page.goto(`${env.url}/api/console#/runs`);
      expect(response?.status()).toBe(401);
      await expect(page.locator("#secret").count()).resolves.toBe(1);
      await expect(page.locator("#runs-body").count()).resolves.toBe(0);
      expect(await page.evaluate(async () => (await fetch("/api/runs")).status)).toBe(401);
    } finally {
      await stranger.close();
    }
  });

  it("finds a failed run by filter, shows its failing step and fix, and a retry from the page turns it green", async () => {
    const failed = await env.webhook("Add User to Group", { "User Email": "johanna.lorenz@contoso.com", "Group Name": "Project Falcon" }, 5678);
    expect(failed.body.status).toBe("failed");
    for (const [ticket, group] of [[5680, "IT Department"], [5681, "Marketing"]] as const) {
      await env.webhook("Add User to Group", { "User Email": "johanna.lorenz@contoso.com", "Group Name": group }, ticket);
    }
    await env.webhook("Password Reset", { "User Email": "diego.siciliani@contoso.com", "Force Change on Login": "Yes" }, 5682);
    const page = await signedInPage();
    await page.waitForSelector("#runs-body tr");
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, "console-runs.png") });
    }
    await page.selectOption("#f-status", "failed");
    await page.fill("#f-ticket", "5678");
    await page.click("#filters button[type=submit]");
    await page.waitForFunction(() => location.hash.includes("status=failed"));
    await page.waitForFunction(() => document.querySelectorAll("#runs-body tr").length === 1 && document.querySelector("#runs-status")?.textContent === "1 run.");
    const row = page.locator("#runs-body tr");
    await expect(row.locator(".badge").textContent()).resolves.toBe("failed");
    await expect(row.textContent()).resolves.toContain("5678");
    await row.locator("a").click();
    await page.waitForSelector(".timeline");
    const step = page.locator(".timeline > li").first();
    await expect(step.textContent()).resolves.toContain("lookup");
    await expect(step.locator(".badge").textContent()).resolves.toBe("failed");
    await expect(step.locator(".error-box").textContent()).resolves.toContain("GROUP_NOT_FOUND");
    await expect(step.locator(".fix").textContent()).resolves.toBe("Fix: Check the group's exact display name.");
    await step.locator("summary").click();
    await expect(step.locator("pre").textContent()).resolves.toContain("displayName eq 'Project Falcon'");
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, "console-run.png"), fullPage: true });

    await env.addGroup("Project Falcon");
    await page.click("#retry");
    await page.waitForFunction(() => document.querySelector("#run-title .badge")?.textContent === "succeeded", undefined, { timeout: 30_000 });
    await expect(page.locator(".timeline > li .badge").allTextContents()).resolves.toEqual(["ok", "changed"]);
    await expect(page.locator(".plain li").last().textContent()).resolves.toContain("retry by local operator");
  });

  it("cancels a scheduled run from the Scheduled section: only once the technician confirms, recorded with who did it", async () => {
    // Ten days ahead on the real clock (the stack's): inside the schedule horizon, never in the past.
    const lastDay = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const scheduled = await env.webhook("User Offboarding", { "User Email": "ben.walters@contoso.com", "Last Day": lastDay }, 7100);
    expect(scheduled.status).toBe(202);
    expect(scheduled.body.status).toBe("scheduled");
    const runId: string = scheduled.body.runId;
    const page = await signedInPage();
    await page.click('a[data-nav="scheduled"]');
    const item = page.locator("#view-scheduled li.panel", { has: page.locator(`a[href="#/runs/${runId}"]`) });
    await item.waitFor();
    await expect(item.textContent()).resolves.toMatch(/User Offboarding · ticket 7100[\s\S]*\(start\)[\s\S]*megan\.bowen@contoso\.com → ben\.walters@contoso\.com/);
    const cancel = item.getByRole("button", { name: "Cancel User Offboarding on ticket 7100" });
    const session = await env.signIn();
    const waiting = (await env.call(`/api/runs/${runId}`, { session })).body.schedule;

    // The run's page says what it waits for and when, as a person reads it.
    const detail = await newPage();
    await detail.goto(`${env.url}/api/console#/runs/${runId}`);
    await detail.waitForSelector("#schedule");
    const due = await detail.evaluate((iso: string) => new Date(iso).toLocaleString(), waiting.dueAt);
    const at = await detail.evaluate((iso: string) => new Date(iso).toLocaleString(), waiting.at);
    await expect(detail.locator("#schedule .facts").textContent()).resolves.toBe(`Waits forits startDue${due}Scheduled for${at}`);
    await expect(detail.locator("#schedule time").first().getAttribute("datetime")).resolves.toBe(waiting.dueAt);
    await detail.close();

    // Dismissing the confirmation changes nothing.
    page.once("dialog", (dialog) => void dialog.dismiss());
    await cancel.click();
    expect((await env.call(`/api/runs/${runId}`, { session })).body.status).toBe("scheduled");

    page.once("dialog", (dialog) => void dialog.accept());
    await cancel.click();
    await page.waitForFunction((id: string) => !document.querySelector(`#view-scheduled a[href="#/runs/${id}"]`), runId);
    await expect(page.locator("#toast").textContent()).resolves.toBe("The scheduled run was cancelled; nothing more of it will run.");

    await page.goto(`${env.url}/api/console#/runs/${runId}`);
    await page.waitForFunction(() => document.querySelector("#run-title .badge")?.textContent === "cancelled");
    await expect(page.getByRole("button", { name: "Cancel scheduled run" }).count()).resolves.toBe(0);
    // No longer waiting: only the time it was scheduled for.
    await expect(page.locator("#schedule .facts").textContent()).resolves.toBe(`Scheduled for${at}`);
    await expect(page.locator("#view-run").textContent()).resolves.toMatch(/Console actions[\s\S]*cancel by local operator at .+: cancelled/);
    const run = (await env.call(`/api/runs/${runId}`, { session })).body;
    expect(run).toMatchObject({ status: "cancelled", steps: [] });
    // The wake-up is gone (the record keeps the time it was scheduled for; only a wake-up has a due time).
    expect(run.schedule).not.toHaveProperty("dueAt");
    expect(run.actions).toEqual([expect.objectContaining({ action: "cancel", actorId: "local", actorName: "local operator", via: "local", outcome: "cancelled" })]);
  });

  it("shows a hostile field value and requester name as text, never as markup", async () => {
    const hostile = await env.webhook("Add User to Group", { "User Email": "johanna.lorenz@contoso.com", "Group Name": XSS_GROUP }, 6666, { name: XSS_NAME, email: "megan.bowen@contoso.com" });
    const page = await signedInPage();
    await page.goto(`${env.url}/api/console#/runs?ticket=6666`);
    await page.waitForFunction(() => document.querySelectorAll("#runs-body tr").length === 1);
    await expect(page.locator("#runs-body tr .who-cell").textContent()).resolves.toContain(XSS_NAME);
    await page.goto(`${env.url}/api/console#/runs/${hostile.body.runId}`);
    await page.waitForSelector(".timeline");
    await expect(page.locator(".error-box").first().textContent()).resolves.toContain(`No group is named ${XSS_GROUP}.`);
    await expect(page.locator(".facts").textContent()).resolves.toContain(XSS_NAME);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(await page.locator("img, main script").count()).toBe(0);
  });

  it("is usable from the keyboard alone: skip link, a visible focus ring, filtering and opening a run, its retry in reach", async () => {
    const failed = await env.webhook("Add User to Group", { "User Email": "johanna.lorenz@contoso.com", "Group Name": "Night Shift" }, 5700);
    expect(failed.body.status).toBe("failed");
    const page = await signedInPage();
    await page.waitForSelector("#runs-body tr");
    const focused = () => page.evaluate(() => ({ id: document.activeElement?.id ?? "", text: document.activeElement?.textContent ?? "", ring: getComputedStyle(document.activeElement).outlineStyle }));
    /** Tab until the element matching `selector` has the focus; fails when it is not reached in `most` presses. */
    const tabTo = async (selector: string, most = 20) => {
      for (let press = 0; press < most; press++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate((wanted: string) => document.activeElement?.matches(wanted) ?? false, selector)) return;
      }
      throw new Error(`${selector} was not reached with Tab`);
    };
    await page.keyboard.press("Tab");
    expect(await focused()).toEqual({ id: "", text: "Skip to content", ring: "solid" });
    // Skipping keeps the view (the page routes by its hash: #main would be a view of its own) and lands on its heading.
    await page.keyboard.press("Enter");
    expect((await focused()).id).toBe("runs-title");
    expect(await page.evaluate(() => location.hash)).toBe("");
    await tabTo("#f-status");
    expect((await focused()).ring).toBe("solid");
    await page.keyboard.type("f"); // a closed select picks the option its typed letters start
    await tabTo("#f-ticket", 2);
    await page.keyboard.type("5700");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => location.hash === "#/runs?status=failed&ticket=5700");
    await page.waitForFunction(() => document.querySelectorAll("#runs-body tr").length === 1 && document.querySelector("#runs-status")?.textContent === "1 run.");
    await tabTo("#runs-body tr a");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".timeline");
    // The run's heading takes the focus, so a screen reader says where the technician is.
    await page.waitForFunction(() => document.activeElement?.id === "run-title");
    await expect(page.locator("#run-title").textContent()).resolves.toBe("Add User to Group failed");
    await tabTo("#retry");
    expect(await focused()).toMatchObject({ id: "retry", ring: "solid" });
  });

  it("names every control and landmark for assistive technology, labels every field and keeps text contrast at WCAG AA", async () => {
    const lastDay = new Date(Date.now() + 12 * 86_400_000).toISOString().slice(0, 10);
    for (const [ticket, user] of [[7201, "conor.obrien@contoso.com"], [7202, "miriam.graham@contoso.com"]] as const) {
      expect((await env.webhook("User Offboarding", { "User Email": user, "Last Day": lastDay }, ticket)).body.status).toBe("scheduled");
    }
    const page = await signedInPage();
    await page.waitForSelector("#runs-body tr");
    const unlabelled = await page.evaluate(() => Array.from(document.querySelectorAll("input, select, textarea"))
      .filter((control: any) => control.labels?.length === 0 && !control.getAttribute("aria-label")).map((control: any) => control.id));
    expect(unlabelled).toEqual([]);
    // The accessibility tree as Chromium computes it: every control has a name, and no two buttons in a view share one.
    const tree = async (view: string) => {
      const snapshot = await page.locator(`#view-${view}`).ariaSnapshot();
      const unnamed = snapshot.split("\n").filter((line) => /^\s*- (button|link|textbox|combobox|checkbox|searchbox)\s*(:|\[|$)/.test(line));
      const buttons = [...snapshot.matchAll(/- button "([^"]*)"/g)].map((match) => match[1]);
      return { snapshot, unnamed, duplicates: buttons.filter((name, i) => buttons.indexOf(name) !== i) };
    };
    const whole = await page.locator("body").ariaSnapshot();
    expect(whole).toMatch(/^- banner:/m);
    expect(whole).toContain('navigation "Console sections"');
    expect(whole).toMatch(/^- main:/m);
    expect(whole).toContain('search "Filter runs"');
    expect(whole).toContain('table "Runs, newest first"');
    expect(await tree("runs")).toMatchObject({ unnamed: [], duplicates: [] });

    await page.click('a[data-nav="scheduled"]');
    await page.locator("#view-scheduled li.panel").nth(1).waitFor();
    const scheduled = await tree("scheduled");
    expect(scheduled).toMatchObject({ unnamed: [], duplicates: [] });
    expect(scheduled.snapshot).toContain('button "Cancel User Offboarding on ticket 7201"');
    expect(scheduled.snapshot).toContain('button "Cancel User Offboarding on ticket 7202"');

    await page.click('a[data-nav="health"]');
    await page.waitForSelector("#h-throttling");
    expect(await tree("health")).toMatchObject({ unnamed: [], duplicates: [] });

    await page.goto(`${env.url}/api/console#/runs?status=failed`);
    await page.waitForSelector("#runs-body tr a");
    await page.locator("#runs-body tr a").first().click();
    await page.waitForSelector(".timeline");
    const run = await tree("run");
    expect(run).toMatchObject({ unnamed: [], duplicates: [] });
    expect(run.snapshot).toContain('heading "Add User to Group failed" [level=1]');
    expect(run.snapshot).toContain('list "Steps in order"');

    const ratios = await page.evaluate(() => {
      const channel = (c: number) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      const luminance = (rgb: string) => { const [r, g, b] = rgb.match(/\d+/g)!.map(Number) as [number, number, number]; return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b); };
      const background = (node: any): string => {
        for (let at = node; at; at = at.parentElement) { const bg = getComputedStyle(at).backgroundColor; if (bg !== "rgba(0, 0, 0, 0)") return bg; }
        return "rgb(255, 255, 255)";
      };
      const text = ".badge, .facts dt, .facts dd, .step-head span, a, .fix, .muted, .top a, .who, button, summary, .error-box p, .field label, .runs th, .status-line";
      return Array.from(document.querySelectorAll(text)).filter((node: any) => node.getClientRects().length > 0).map((node: any) => {
        const [a, b] = [luminance(getComputedStyle(node).color), luminance(background(node))];
        return { text: node.textContent, ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
      });
    });
    expect(ratios.length).toBeGreaterThan(20);
    expect(ratios.filter((entry) => entry.ratio < 4.5)).toEqual([]);
  });

  it("refreshes the list by itself (on the page's own clock), and shows the health panel", async () => {
    // A fake clock belongs to a whole browser context (and holds its painting): this test has its own.
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    try {
      const page = await (await browser.newContext()).newPage();
      page.on("pageerror", (error) => pageErrors.push(error.message));
      await page.clock.install();
      await page.goto(env.stack.consoleSignInLink());
      await page.waitForSelector("#runs-body tr");
      const fresh = await env.webhook("Add User to Group", { "User Email": "johanna.lorenz@contoso.com", "Group Name": "IT Department" }, 7001);
      expect(await page.locator(`tr[data-run="${fresh.body.runId}"]`).count()).toBe(0);
      await page.clock.runFor(10_000);
      await page.waitForSelector(`tr[data-run="${fresh.body.runId}"]`);
      await expect(page.locator("#runs-status").textContent()).resolves.toContain("Updated");
      await page.click('a[data-nav="health"]');
      await page.waitForSelector("#h-throttling");
      await expect(page.locator("#view-health").textContent()).resolves.toMatch(/Last failures[\s\S]*Add User to Group[\s\S]*Poison messages[\s\S]*intent-runs-poison: 0 message\(s\)/);
      await page.click('a[data-nav="approvals"]');
      // The heading shows at once; the paragraph once the approvals answer arrives (late on a loaded machine).
      await page.waitForSelector("#view-approvals p");
      // npm start has approvals; nothing asks for one yet.
      await expect(page.locator("#view-approvals").textContent()).resolves.toContain("Nothing is waiting for approval.");
    } finally {
      await browser.close();
    }
  });

  it("fits a phone's width (390 px, and 320 px: 400% zoom on a laptop) without sideways scrolling, the list as one card per run", async () => {
    const page = await signedInPage();
    for (const width of [390, 320]) {
      await page.setViewportSize({ width, height: 844 });
      await page.goto(`${env.url}/api/console#/runs`);
      await page.waitForSelector("#runs-body tr");
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      // Each cell says what it is, since the column headings are gone.
      const cell = await page.evaluate(() => { const td = document.querySelector("#runs-body td"); return { display: getComputedStyle(td).display, label: getComputedStyle(td, "::before").content }; });
      expect(cell).toEqual({ display: "grid", label: '"Status"' });
      if (SCREENSHOTS && width === 390) await page.screenshot({ path: join(SCREENSHOTS, "console-phone.png") });
      await page.locator("#runs-body tr a").first().click();
      await page.waitForSelector(".timeline");
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
  });

  it("paints the page within a second", async () => {
    const page = await signedInPage();
    await page.reload();
    await page.waitForSelector("#runs-body tr");
    const paint = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.POSITIVE_INFINITY);
    expect(paint).toBeLessThan(1_000);
    expect(pageErrors).toEqual([]);
  });

  it("lists a colleague's request that waits for approval in the inbox, with its plan; only an approver's Approve lets the run proceed, recorded with who and why", async () => {
    const waiting = await env.webhook("Add User to Group", { "User Email": "adele.vance@contoso.com", "Group Name": "IT Department" }, 7002, { name: "Ben Walters", email: "ben.walters@contoso.com" });
    expect(waiting.body.status).toBe("awaiting_approval");
    const runId: string = waiting.body.runId;
    const approver: string = waiting.body.approval.approvers.map((entry: { address: string }) => entry.address).find((address: string) => address !== "ben.walters@contoso.com");
    const page = await signedInPage();
    await page.click('a[data-nav="approvals"]');
    await page.waitForSelector("#view-approvals li.panel");
    const item = page.locator("#view-approvals li.panel", { has: page.locator(`a[href="#/runs/${runId}"]`) });
    const inbox = (await item.textContent()) ?? "";
    expect(inbox).toContain("Add User to Group · ticket 7002");
    expect(inbox).toContain("Ben Walters (ben.walters@contoso.com) → adele.vance@contoso.com");
    expect(inbox).toMatch(/IT Department/);
    await expect(page.locator("#approvals-count").textContent()).resolves.toBe("1");

    // The local operator is no approver: the decision is refused and nothing moves.
    await item.getByRole("button", { name: "Approve Add User to Group on ticket 7002" }).click();
    await page.waitForFunction(() => /not one of the approval's approvers/.test(document.querySelector("#toast")?.textContent ?? ""));
    const session = await env.signIn();
    expect((await env.call(`/api/runs/${runId}`, { session })).body.status).toBe("awaiting_approval");

    // One of its approvers, signed in as themselves, approves with a comment.
    await page.goto(env.stack.consoleSignInLink(approver));
    await page.waitForFunction((name: string) => document.querySelector("#who")?.textContent === `Signed in as ${name}`, approver);
    await page.goto(`${env.url}/api/console#/approvals`);
    await item.waitFor();
    await item.getByLabel("Comment (optional)").fill("Checked with Adele's manager <b>by phone</b>");
    await item.getByRole("button", { name: "Approve Add User to Group on ticket 7002" }).click();
    await page.waitForFunction(() => /^Approved: the run continues/.test(document.querySelector("#toast")?.textContent ?? ""));
    await page.waitForFunction((id: string) => !document.querySelector(`#view-approvals a[href="#/runs/${id}"]`), runId);

    const run = await env.settle(runId, session);
    expect(run).toMatchObject({ status: "succeeded", approval: { state: "approved" } });
    expect(run.steps.map((step: { id: string; status: string }) => [step.id, step.status])).toEqual([["lookup", "ok"], ["add", "changed"]]);
    expect(run.actions.map(({ action, actorName, outcome, comment }: Record<string, string>) => ({ action, actorName, outcome, comment }))).toEqual([
      { action: "approve", actorName: "local operator", outcome: "refused: APPROVAL_NOT_APPROVER", comment: undefined },
      { action: "approve", actorName: approver, outcome: "approved", comment: "Checked with Adele's manager <b>by phone</b>" },
    ]);
    await page.goto(`${env.url}/api/console#/runs/${runId}`);
    await page.waitForFunction(() => document.querySelector("#run-title .badge")?.textContent === "succeeded");
    const detail = (await page.locator("#view-run").textContent()) ?? "";
    expect(detail).toContain(`approve by ${approver} at`);
    expect(detail).toContain("“Checked with Adele's manager <b>by phone</b>”");
    expect(await page.locator("#view-run b").count()).toBe(0);
    const trail = (await page.locator("#approval").textContent()) ?? "";
    expect(trail).toMatch(new RegExp(`State\\s*approved[\\s\\S]*Asked[\\s\\S]*${approver.replace(/\./g, "\\.")}[\\s\\S]*Decided by.*<${approver.replace(/\./g, "\\.")}> \\(console\\)`));
    expect(trail).toContain("Comment“Checked with Adele's manager <b>by phone</b>”");
    if (SCREENSHOTS) {
      await page.evaluate(() => { document.querySelector("#toast").hidden = true; });
      await page.screenshot({ path: join(SCREENSHOTS, "console-approved.png"), fullPage: true });
    }
  });

  it("shows a run's undo plan; the technician undoes it from the page once confirmed, follows the undo run, and the tenant is as before with nothing left to undo", async () => {
    const session = await env.signIn();
    const licensed = await env.webhook("License Assignment", { "User Email": BEN, "License SKU": "SPB", "Action": "assign", "Usage Location": "GB" }, 7300);
    expect(licensed.body.status).toBe("succeeded");
    const runId: string = licensed.body.runId;
    const ben = (await tenant()).users.find((user) => user.userPrincipalName === BEN)!;
    expect(ben).toMatchObject({ usageLocation: "GB", assignedLicenses: [{ skuId: SPB }] });

    // A Service Desk technician has the run open in two tabs (one session) and undoes it from the first.
    const page = await signedInPage(SERVICE_DESK);
    const late = await newPage();
    await page.goto(`${env.url}/api/console#/runs/${runId}`);
    await late.goto(`${env.url}/api/console#/runs/${runId}`);
    for (const open of [page, late]) await open.waitForSelector("#undo-plan li");
    // What will be reversed (the change and its request), and what cannot be.
    const plan = page.locator("#undo-plan");
    await expect(plan.locator("li").allTextContents()).resolves.toEqual([
      `Remove the licence again: POST /users/${ben.id}/assignLicense {"addLicenses":[],"removeLicenses":["${SPB}"]}`,
      `Not reversible: ${BEN} had no usage location and was given one; this undo leaves it set.`,
    ]);
    await expect(plan.textContent()).resolves.toMatch(/What the run changed is kept until .+; after that it cannot be undone from here\./);
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, "console-undo.png"), fullPage: true });
    // Its lines (ids and paths without a space) wrap on a phone.
    await page.setViewportSize({ width: 320, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await page.setViewportSize({ width: 1280, height: 800 });

    // The new control, named in the accessibility tree and reached from the keyboard.
    const tree = await page.locator("#view-run").ariaSnapshot();
    expect(tree).toContain('region "Undo plan"');
    expect(tree).toContain('button "Undo this run"');
    expect(tree.split("\n").filter((line) => /^\s*- (button|link)\s*(:|\[|$)/.test(line))).toEqual([]);
    await page.locator("#run-title").focus();
    for (let press = 0; press < 20 && !(await page.evaluate(() => document.activeElement?.textContent === "Undo this run")); press++) await page.keyboard.press("Tab");
    expect(await page.evaluate(() => ({ text: document.activeElement?.textContent, ring: getComputedStyle(document.activeElement).outlineStyle }))).toEqual({ text: "Undo this run", ring: "solid" });

    // Dismissing the confirmation changes nothing; accepting it starts the undo and the page follows the undo run.
    page.once("dialog", (dialog) => void dialog.dismiss());
    await page.keyboard.press("Enter");
    expect((await tenant()).users.find((user) => user.id === ben.id)!.assignedLicenses).toEqual([{ skuId: SPB, disabledPlans: [] }]);
    let asked = "";
    page.once("dialog", (dialog) => { asked = dialog.message(); void dialog.accept(); });
    await page.keyboard.press("Enter");
    await page.waitForFunction((id: string) => /^#\/runs\/[0-9a-f]{32}$/.test(location.hash) && location.hash !== `#/runs/${id}`, runId);
    expect(asked).toMatch(/^Start an undo run\?/);
    const undoRunId = (await page.evaluate(() => location.hash)).slice("#/runs/".length);
    await page.waitForFunction(() => document.querySelector("#run-title .badge")?.textContent === "succeeded");
    await expect(page.locator("#run-title").textContent()).resolves.toBe("Undo License Assignment succeeded");
    const undone = `${BEN} no longer has the SPB licence: the earlier change was undone.`;
    await expect(page.locator("#view-run .facts").first().textContent()).resolves.toContain(undone);
    await expect(page.locator("#toast").textContent()).resolves.toBe(undone);
    // The undo run names the run it reverses, and what it left as it was.
    await expect(page.locator("#view-run .facts a").getAttribute("href")).resolves.toBe(`#/runs/${runId}`);
    await expect(page.locator("#view-run .facts").first().textContent()).resolves.toContain(`Undoesrun ${runId.slice(0, 8)}`);
    await expect(page.locator("#undo-left li").allTextContents()).resolves.toEqual([`Not reversible: ${BEN} had no usage location and was given one; this undo leaves it set.`]);
    await expect(page.getByRole("button", { name: "Undo this run" }).count()).resolves.toBe(0);
    // Back as before for what was reversible; the usage location stays, as the plan said.
    expect((await tenant()).users.find((user) => user.id === ben.id)).toMatchObject({ assignedLicenses: [], usageLocation: "GB" });

    // The original run says who undid it, and that nothing is left to undo.
    await page.goto(`${env.url}/api/console#/runs/${runId}`);
    await page.waitForSelector("#undo-plan");
    await expect(plan.locator("a").getAttribute("href")).resolves.toBe(`#/runs/${undoRunId}`);
    await expect(plan.textContent()).resolves.toContain(`Undone by run ${undoRunId.slice(0, 8)}`);
    await expect(plan.ariaSnapshot()).resolves.toContain(`link "run ${undoRunId.slice(0, 8)}"`);
    await expect(plan.textContent()).resolves.toContain("Nothing is left to undo");
    await expect(page.getByRole("button", { name: "Undo this run" }).count()).resolves.toBe(0);

    // The second tab still offers the undo: asking again starts nothing and says so.
    late.once("dialog", (dialog) => void dialog.accept());
    await late.getByRole("button", { name: "Undo this run" }).click();
    await late.waitForFunction(() => document.querySelector("#toast")?.textContent === "Nothing is left to undo.");
    await late.waitForFunction(() => /Nothing is left to undo/.test(document.querySelector("#undo-plan")?.textContent ?? ""));
    await expect(late.getByRole("button", { name: "Undo this run" }).count()).resolves.toBe(0);
    expect((await tenant()).users.find((user) => user.id === ben.id)!.assignedLicenses).toEqual([]);
    const run = (await env.call(`/api/runs/${runId}`, { session })).body;
    expect(run.actions.map(({ action, actorName, outcome }: Record<string, string>) => ({ action, actorName, outcome }))).toEqual([
      { action: "undo", actorName: SERVICE_DESK, outcome: "succeeded" },
      { action: "undo", actorName: SERVICE_DESK, outcome: "nothing_to_undo" },
    ]);
    expect(run.undo).toMatchObject({ possible: false, nothingToUndo: true, undoneBy: [undoRunId] });
    // The undo ran as the technician: requester policy judged it as asked by the address the session acts as.
    expect((await env.call(`/api/runs/${undoRunId}`, { session })).body).toMatchObject({ status: "succeeded", requester: SERVICE_DESK, target: BEN });

    // Undo runs have their own entry in the intent filter (only for intents that declare an undo).
    await page.goto(`${env.url}/api/console#/runs`);
    await page.waitForSelector("#runs-body tr");
    await page.waitForFunction(() => document.querySelectorAll("#f-intent option").length > 1);
    const intents = await page.locator("#f-intent option").allTextContents();
    expect(intents).toEqual(expect.arrayContaining(["License Assignment", "Undo License Assignment", "Undo Add User to Group"]));
    expect(intents).not.toContain("Undo Password Reset");
    await page.selectOption("#f-intent", "Undo License Assignment");
    await page.click("#filters button[type=submit]");
    await page.waitForFunction(() => location.hash === "#/runs?intent=Undo+License+Assignment");
    await page.waitForFunction((id: string) => document.querySelectorAll("#runs-body tr").length === 1 && document.querySelector(`#runs-body tr[data-run="${id}"]`) !== null, undoRunId);
  });

  it("shows what someone changed since a run as left alone, with nothing to undo; a plan that cannot be made says why", async () => {
    const added = await env.webhook("Add User to Group", { "User Email": DIEGO, "Group Name": "IT Department" }, 7310);
    expect(added.body.status).toBe("succeeded");
    const runId: string = added.body.runId;
    const page = await signedInPage(SERVICE_DESK);

    // While Graph cannot be read, the plan cannot be made: the page says so and offers no undo.
    const fault = await sandboxFault({ kind: "throttle", method: "GET", path: "/v1.0/*", retryAfter: 0 });
    await page.goto(`${env.url}/api/console#/runs/${runId}`);
    await page.waitForSelector("#undo-plan [role=alert]");
    await expect(page.locator("#undo-plan [role=alert]").textContent()).resolves.toMatch(/^The plan could not be made: The tenant as it is now could not be read: .+ UNDO_PLAN_FAILED$/);
    await expect(page.getByRole("button", { name: "Undo this run" }).count()).resolves.toBe(0);
    await fault.remove();

    // A colleague takes Diego out of the group again: the undo leaves that alone.
    expect((await env.webhook("Remove User from Group", { "User Email": DIEGO, "Group Name": "IT Department" }, 7311)).body.status).toBe("succeeded");
    await page.reload();
    await page.waitForSelector("#undo-plan li");
    await expect(page.locator("#undo-plan li").allTextContents()).resolves.toEqual([`Left as it is: ${DIEGO} was removed from IT Department since; left as it is.`]);
    await expect(page.locator("#undo-plan").textContent()).resolves.toContain("Nothing is left to undo");
    await expect(page.getByRole("button", { name: "Undo this run" }).count()).resolves.toBe(0);
  });
});
