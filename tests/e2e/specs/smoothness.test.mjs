// End-to-end: the page never stutters. Every lab's runs, at their defaults, are started from
// the page while requestAnimationFrame records the gaps between frames; no gap may exceed
// 100 ms. The one exception is the event loop's "Block the loop" demo, whose point is the
// freeze (its own spec measures it), so it is not run here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();
const LIMIT_MS = 100;

/**
 * Clicks `button`, waits until it is enabled again (the run is over), returns the frame
 * figures. A headless browser on a busy 2-core machine sometimes skips frames with no long
 * task on the page (checked with a long-task observer): a run over the limit is measured
 * once more, and only a run that stalls both times fails.
 */
async function measure(lab, button, doneSelector) {
  const first = await measureOnce(lab, button, doneSelector);
  if (first.longest <= LIMIT_MS) return first;
  const again = await measureOnce(lab, button, doneSelector);
  return again.longest < first.longest ? { ...again, retried: first.longest } : { ...first, retried: again.longest };
}

async function measureOnce(lab, button, doneSelector) {
  await lab.startFrameProbe();
  await button.click();
  await lab.page.waitForFunction(
    ([selector]) => {
      const el = document.querySelector(selector);
      return el && !el.disabled;
    },
    [doneSelector],
    { timeout: 120000, polling: 100 },
  );
  return lab.stopFrameProbe();
}

/** Every run on `route` (the nth `[data-testid=run]` of the page, per tab) at its defaults. */
async function runsOf(route, tabs = [null]) {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open(route);
  await lab.waitForPool();
  const figures = [];
  for (const tab of tabs) {
    if (tab) await lab.page.click(`[data-testid=tab-${tab}]`);
    const count = await lab.page.locator("[data-testid=run]").count();
    for (let i = 0; i < count; i++) {
      const button = lab.page.locator("[data-testid=run]").nth(i);
      if (!(await button.isEnabled())) continue;
      const label = `${route}${tab ? `/${tab}` : ""}: ${(await button.innerText()).trim()}`;
      // Mark the button so the wait can find this one again among several.
      await button.evaluate((b) => b.setAttribute("data-probe", "1"));
      const frames = await measure(lab, button, "[data-probe='1']");
      await button.evaluate((b) => b.removeAttribute("data-probe"));
      figures.push({ label, ...frames });
    }
  }
  lab.assertNoProblems();
  // A page left open keeps drawing frames and holds its workers: the next lab's figures
  // would include its load.
  await lab.page.context().close();
  return figures;
}

function report(figures) {
  for (const f of figures) {
    const retry = f.retried === undefined ? "" : `; first attempt ${f.retried.toFixed(1)} ms`;
    console.log(`${f.label}: longest frame gap ${f.longest.toFixed(1)} ms (${f.count} frames${retry})`);
  }
  const over = figures.filter((f) => f.longest > LIMIT_MS).map((f) => `${f.label} ${f.longest.toFixed(0)} ms`);
  assert.deepEqual(over, [], `frame gaps over ${LIMIT_MS} ms`);
  assert.ok(figures.length > 0);
}

test("shared memory: race, deadlock, semaphore, signals and queue tabs never stall the page", async () => {
  report(await runsOf("shared-memory", ["race", "deadlock", "semaphore", "signals", "queue"]));
});

test("cores, GIL, processes, IO and the litmus runs never stall the page", async () => {
  const figures = [];
  for (const route of ["cores", "gil", "processes", "io", "explorer"]) figures.push(...(await runsOf(route)));
  report(figures);
});

test("the event loop's real tasks never stall the page", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("event-loop");
  // Measured once the page has started (its first render and the pool's start are
  // start-up, which `make bench` measures), like every other lab here.
  await lab.waitForPool();
  const frames = await measure(lab, lab.page.locator("[data-testid=aw-run]"), "[data-testid=aw-run]");
  report([{ label: "event-loop: Run the tasks", ...frames }]);
  lab.assertNoProblems();
});
