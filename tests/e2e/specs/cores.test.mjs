// End-to-end: the cores lab, through the UI and through window.lab, as a visitor would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();

test("cores lab: running 1 vs 2 threads from the UI shows a real speedup", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("cores");
  await lab.waitForPool();
  await lab.setThreads(2);
  assert.equal(await lab.text("threads-value"), "2");
  await lab.run();
  const speedup = parseFloat(await lab.text("speedup"));
  assert.ok(speedup > 1.0, `speedup ${speedup}`);
  assert.match(await lab.text("same-answer"), /same image as 1 thread ✓/);
  assert.match(await lab.text("cpu"), /% of \d+ cores?/);
  assert.match(await lab.text("machine-facts"), /measured on \d+ logical cores · cross-origin isolated · \d+ workers · \S+Chrome \d+/);
  // The timeline has bars on two different workers.
  const lanes = await lab.page.$$eval("[data-testid=timeline] .lane-label", (els) => els.map((e) => e.textContent));
  assert.ok(lanes.length >= 2, `lanes: ${lanes}`);
  assert.ok((await lab.page.$$("[data-testid=timeline] rect.bar")).length > 10);
  await lab.page.screenshot({ path: join(ARTIFACTS, "cores-ui.png"), fullPage: true });
  lab.assertNoProblems();
});

test("cores lab: a sweep draws the speedup chart and the copy button offers JSON", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("cores");
  await lab.waitForPool();
  await lab.page.click("[data-testid=sweep]");
  await lab.waitIdle();
  assert.equal((await lab.page.$$(".chart .point")).length, await lab.page.evaluate(() => window.lab.machine().pool_threads));
  const json = JSON.parse(await lab.page.textContent("[data-testid=results-json]"));
  assert.equal(json.runs[0].threads, 1);
  assert.equal(json.machine.cross_origin_isolated, true);
  lab.assertNoProblems();
});

test("window.lab.run('cores') measures speedup against a 1-thread run of the same work", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("cores");
  await lab.waitForPool();
  const r = await lab.page.evaluate(() => window.lab.run("cores", { threads: 2 }));
  for (const field of ["threads", "wall_ms", "speedup", "efficiency", "cores", "cross_origin_isolated", "baseline_ms", "cpu_percent"]) {
    assert.ok(field in r, `missing ${field}`);
  }
  assert.equal(r.threads, 2);
  assert.equal(r.cross_origin_isolated, true);
  assert.equal(r.same_as_baseline, true);
  assert.ok(r.wall_ms > 0 && r.baseline_ms > 0);
  assert.ok(Math.abs(r.speedup - r.baseline_ms / r.wall_ms) < 1e-9);
  assert.ok(r.speedup > 1.0, `speedup ${r.speedup}`);
  assert.ok(Math.abs(r.efficiency - r.speedup / 2) < 1e-9);
  lab.assertNoProblems();
});

test("bad parameters reject with a clear message, never a panic", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("cores");
  await lab.waitForPool();
  const errors = await lab.page.evaluate(async () => {
    const tryRun = (id, p) => window.lab.run(id, p).then(() => "resolved", (e) => e.message);
    return [
      await tryRun("cores", { threads: 999 }),
      await tryRun("cores", { thread: 2 }),
      await tryRun("cores", { max_iter: "lots" }),
      await tryRun("nope", {}),
    ];
  });
  assert.match(errors[0], /threads must be between 1 and \d+ \(got 999\)/);
  assert.match(errors[1], /unknown field `thread`/);
  assert.match(errors[2], /invalid type/);
  assert.match(errors[3], /unknown lab 'nope'; labs are: cores/);
  // The form validates too.
  await lab.page.fill("[data-testid=max-iter]", "0");
  await lab.page.click("[data-testid=run]");
  assert.match(await lab.text("error"), /max_iter must be between 1 and 20000/);
  lab.assertNoProblems();
});

test("a long run can be cancelled and the lab stays usable", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("cores");
  await lab.waitForPool();
  const outcome = await lab.page.evaluate(async () => {
    const started = performance.now();
    const run = window.lab.run("cores", { threads: 2, width: 2048, height: 2048, max_iter: 20000 }).then(() => "finished", (e) => e.message);
    await new Promise((r) => setTimeout(r, 300));
    window.lab.cancel();
    return { message: await run, ms: performance.now() - started };
  });
  assert.equal(outcome.message, "cancelled");
  assert.ok(outcome.ms < 5000, `cancel took ${outcome.ms} ms`);
  const again = await lab.page.evaluate(() => window.lab.run("cores", { threads: 1, width: 64, height: 64 }));
  assert.equal(again.same_as_baseline, true);
  lab.assertNoProblems();
});
