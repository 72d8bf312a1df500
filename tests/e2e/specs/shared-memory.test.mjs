// End-to-end: the shared-memory lab on real threads, through the UI and window.lab.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();

async function openLab() {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("shared-memory");
  await lab.waitForPool();
  return lab;
}

test("race: unsynchronised updates get lost; lock and atomic keep the balance at 0", async () => {
  const lab = await openLab();
  await lab.run("race-histogram");
  const wrong = await lab.text("wrong-runs");
  assert.match(wrong, /^\d+ of 10$/);
  const results = await lab.page.evaluate(async () => {
    // Up to 5 unsynchronised batches: a batch with no wrong run is possible, five in a row is not.
    let unsync;
    for (let i = 0; i < 5; i++) {
      unsync = await window.lab.run("race", { repeats: 5 });
      if (unsync.runs_with_wrong_balance > 0) break;
    }
    const locked = await window.lab.run("race", { variant: "lock", repeats: 3 });
    const atomic = await window.lab.run("race", { variant: "atomic", repeats: 3, threads: 4 });
    return { unsync, locked, atomic };
  });
  assert.ok(results.unsync.runs_with_wrong_balance > 0, JSON.stringify(results.unsync.histogram));
  for (const field of ["final_balance", "lost_updates", "ms"]) assert.ok(field in results.unsync, field);
  assert.deepEqual(results.locked.histogram, [[0, 3]]);
  assert.deepEqual(results.atomic.histogram, [[0, 3]]);
  await lab.page.screenshot({ path: join(ARTIFACTS, "shared-memory-race.png"), fullPage: true });
  lab.assertNoProblems();
});

test("deadlock: the watchdog names the AB-BA cycle within a second and recovers; the fix never deadlocks", async () => {
  const lab = await openLab();
  await lab.page.click("[data-testid=tab-deadlock]");
  await lab.run("verdict");
  assert.equal(await lab.text("verdict"), "Deadlocked — detected and recovered");
  assert.equal(await lab.text("cycle"), "Cycle: T0 holds A, waits for B; T1 holds B, waits for A");
  assert.ok(parseFloat(await lab.text("detect-ms")) < 1000);
  assert.equal(await lab.page.locator("[data-testid=wait-for-graph] .edge.cycle").count() > 0, true);
  await lab.page.screenshot({ path: join(ARTIFACTS, "shared-memory-deadlock.png"), fullPage: true });
  await lab.page.check("[data-testid=fix]");
  await lab.run("verdict");
  assert.equal(await lab.text("verdict"), "No deadlock");
  const [bad, fixed, self, rlock] = await lab.page.evaluate(async () => [
    await window.lab.run("deadlock", {}),
    await window.lab.run("deadlock", { fix: true }),
    await window.lab.run("deadlock", { scenario: "self-lock" }),
    await window.lab.run("deadlock", { scenario: "rlock" }),
  ]);
  assert.equal(bad.deadlocked, true);
  assert.ok(bad.recovery_ms < 1000, `recovery ${bad.recovery_ms}`);
  assert.equal(fixed.deadlocked, false);
  assert.equal(self.cycle, "T0 holds A, waits for A");
  assert.equal(rlock.deadlocked, false);
  assert.equal(rlock.rlock_max_count, 2);
  lab.assertNoProblems();
});

test("semaphore: never more than k inside", async () => {
  const lab = await openLab();
  await lab.page.click("[data-testid=tab-semaphore]");
  await lab.page.fill("[data-testid=permits]", "3");
  await lab.run("max-inside");
  assert.match(await lab.text("max-inside"), /^[123] of 3 permits ✓$/);
  // Live thread-state chips end with every thread dead.
  const chips = await lab.page.$$eval("[data-testid=thread-states] li", (items) => items.map((li) => li.textContent));
  assert.equal(chips.length, 5);
  assert.ok(chips.every((chip) => / dead$/.test(chip)), chips.join(", "));
  const r = await lab.page.evaluate(() => window.lab.run("semaphore", { threads: 6, permits: 2 }));
  assert.equal(r.permits, 2);
  assert.ok(r.max_inside <= 2 && r.max_inside >= 1, JSON.stringify(r));
  lab.assertNoProblems();
});

test("event, condition and barrier wake their waiters", async () => {
  const lab = await openLab();
  await lab.page.click("[data-testid=tab-signals]");
  await lab.run("latency");
  assert.match(await lab.text("latency"), /median [\d.]+ ms/);
  await lab.page.selectOption("[data-testid=kind]", "barrier");
  await lab.run("departures");
  const spreads = await lab.page.evaluate(() => window.lab.run("signals", { kind: "barrier", threads: 4, rounds: 2 }));
  assert.ok(spreads.departure_spread_ms.median < spreads.arrival_spread_ms.median / 2, JSON.stringify(spreads));
  const handshake = await lab.page.evaluate(() => window.lab.run("signals", { kind: "condition", threads: 3, rounds: 2 }));
  assert.deepEqual([...handshake.handed_over].sort((a, b) => a - b), [0, 1, 2, 3]);
  lab.assertNoProblems();
});

test("producer-consumer: every item consumed exactly once, with an occupancy chart", async () => {
  const lab = await openLab();
  await lab.page.click("[data-testid=tab-queue]");
  await lab.page.fill("[data-testid=items]", "600");
  await lab.run("audit");
  assert.equal(await lab.text("consumed"), "600 / 600");
  assert.match(await lab.text("audit"), /^0 \/ 0 ✓ each item exactly once$/);
  await lab.page.waitForSelector("[data-testid=occupancy-chart] path.measured");
  await lab.page.screenshot({ path: join(ARTIFACTS, "shared-memory-queue.png"), fullPage: true });
  const r = await lab.page.evaluate(() =>
    window.lab.run("queue", { producers: 2, consumers: 3, capacity: 5, items: 1500, produce_us: 50, consume_us: 100 }));
  assert.deepEqual([r.produced, r.consumed, r.duplicates, r.missing], [1500, 1500, 0, 0]);
  assert.ok(r.items_per_s > 0 && r.max_occupancy <= 5);
  lab.assertNoProblems();
});

test("bad parameters are rejected with clear messages", async () => {
  const lab = await openLab();
  const errors = await lab.page.evaluate(async () => {
    const tryRun = (id, p) => window.lab.run(id, p).then(() => "resolved", (e) => e.message);
    return [
      await tryRun("race", { threads: 99 }),
      await tryRun("race", { variant: "gil" }),
      await tryRun("queue", { producers: 8, consumers: 8 }),
      await tryRun("deadlock", { timeout_ms: 5 }),
      await tryRun("signals", { threads: 1 }),
    ];
  });
  assert.match(errors[0], /threads must be between 1 and \d+ \(got 99\)/);
  assert.match(errors[1], /unknown variant `gil`/);
  assert.match(errors[2], /producers \+ consumers must be between 2 and \d+ \(got 16\)/);
  assert.match(errors[3], /timeout_ms must be between 100 and 10000 \(got 5\)/);
  assert.match(errors[4], /threads must be between 2 and \d+ \(got 1\)/);
  await lab.page.fill("[data-testid=threads]", "");
  await lab.page.click("[data-testid=run]");
  assert.equal(await lab.text("error"), "threads must be a whole number");
  lab.assertNoProblems();
});
