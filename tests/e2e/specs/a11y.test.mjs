// End-to-end: every page passes axe-core with no serious or critical violation (WCAG 2 A/AA),
// as it first appears and with results drawn.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { openPage } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();
// The site's Content-Security-Policy refuses inline scripts, axe's too: the test's own
// context lets the test inject it (the page under test is otherwise unchanged).
const AXE_CAN_RUN = { bypassCSP: true };
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Serious and critical violations on the page as it is now, one line each. */
async function violations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(" ")} — ${v.help}`);
}

// Every page as it first appears (results views are checked by the last test).
const ROUTES = ["", "cores", "shared-memory", "gil", "processes", "io", "explorer", "event-loop"];

for (const route of ROUTES) {
  test(`#/${route || "home"} has no serious or critical axe-core violation`, async () => {
    const lab = new LabPage(await openPage(site.browser, AXE_CAN_RUN), site.server.url);
    await lab.open(route);
    if (route) await lab.waitForPool();
    assert.deepEqual(await violations(lab.page), []);
  });
}

test("result views (the processes lab's pool, costs, the IO lab's charts, a timeline) have no serious violation", async () => {
  const lab = new LabPage(await openPage(site.browser, AXE_CAN_RUN), site.server.url);
  await lab.open("processes");
  await lab.waitForPool();
  await lab.page.fill("[data-testid=pr-tasks]", "3");
  await lab.page.click("[data-testid=pr-pool] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=pr-pool-table]", { timeout: 60000 });
  assert.deepEqual(await violations(lab.page), []);
  await lab.open("io");
  await lab.page.fill("[data-testid=io-max-fds]", "300");
  await lab.page.click("[data-testid=io-select] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=io-table]", { timeout: 60000 });
  assert.deepEqual(await violations(lab.page), []);
  // A finished timeline in its sideways scroller (focusable, named).
  await lab.open("shared-memory");
  await lab.page.click("[data-testid=tab-queue]");
  await lab.waitForPool();
  await lab.run("audit");
  assert.equal(await lab.page.locator("[data-testid=timeline] .chart-scroll[tabindex='0'][role=region]").count(), 1);
  assert.deepEqual(await violations(lab.page), []);
});
