// End-to-end: the IO models lab: select, poll and epoll timed in the browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();

async function ioPage() {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("io");
  await lab.waitForPool();
  return lab;
}

test("select and poll cost grows with the descriptors, epoll's does not; select refuses 1025", async () => {
  const lab = await ioPage();
  const r = await lab.consoleRun("select-epoll", { max_fds: 100000, ready: 10, repeats: 50 });
  assert.deepEqual(r.points.map((p) => p.n), [10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000]);
  for (const p of r.points) {
    // Operations, not time: exact.
    assert.equal(p.poll_touched, 2 * p.n);
    assert.equal(p.epoll_touched, 10);
    if (p.n <= 1024) assert.equal(p.select_touched, 2 * p.n);
    else assert.equal(p.select_ns, null);
    for (const v of [p.poll_ns, p.epoll_ns]) assert.ok(Number.isFinite(v) && v > 0, JSON.stringify(p));
  }
  assert.match(r.select_refusal, /1025 descriptors exceed FD_SETSIZE \(1024\)/);
  // Three orders of magnitude of n: the slopes are far apart even on a busy machine.
  assert.ok(r.slopes.poll > 0.6 && r.slopes.poll < 1.4, `poll slope ${r.slopes.poll}`);
  assert.ok(r.slopes.select > 0.5 && r.slopes.select < 1.4, `select slope ${r.slopes.select}`);
  assert.ok(Math.abs(r.slopes.epoll) < 0.3, `epoll slope ${r.slopes.epoll}`);
  const at = (n) => r.points.find((p) => p.n === n);
  assert.ok(at(100000).poll_ns > 100 * at(100000).epoll_ns, "at 100 000 descriptors poll is far slower than epoll");

  await lab.page.fill("[data-testid=io-max-fds]", "3000");
  await lab.page.click("[data-testid=io-select] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=io-table]", { timeout: 60000 });
  assert.equal(await lab.page.locator("[data-testid=io-table] tbody tr[data-n]").count(), 6);
  assert.equal(await lab.page.locator("[data-testid=io-table] tr[data-n='3000'] td").first().textContent(), "refused");
  assert.match(await lab.text("io-verdict"), /select and poll grow with the descriptors/);
  assert.equal(await lab.page.locator("[data-testid=io-chart] .series").count(), 3);
  const bad = await lab.consoleError("select-epoll", { ready: 0 });
  assert.match(bad, /ready must be an integer between 1 and 10/);
  await lab.page.screenshot({ path: join(ARTIFACTS, "io.png"), fullPage: true });
  lab.assertNoProblems();
});

test("the service worker delays a request by the asked time and size", async () => {
  const lab = await ioPage();
  // The first run registers the service worker and waits until it controls the page.
  await lab.consoleRun("io-models", { connections: 1, delay_ms: 10, bytes: 0 });
  const timed = await lab.page.evaluate(async () => {
    const start = performance.now();
    const response = await fetch("io/delay/300/5000?c=e2e", { cache: "no-store" });
    const body = await response.arrayBuffer();
    return { ms: performance.now() - start, bytes: body.byteLength, header: response.headers.get("X-Delayed-Ms") };
  });
  assert.equal(timed.bytes, 5000);
  assert.equal(timed.header, "300");
  assert.ok(timed.ms >= 295 && timed.ms < 1500, `answered after ${timed.ms} ms`);
  lab.assertNoProblems();
});

test("ten 200 ms requests: blocking takes their sum, the others about one; polling burns a core, multiplexing sleeps", async () => {
  const lab = await ioPage();
  const r = await lab.consoleRun("io-models", { connections: 10, delay_ms: 200, bytes: 1024, seed: 0 });
  assert.deepEqual(r.delays_ms, Array(10).fill(200), "seed 0: every answer after delay_ms");
  const by = Object.fromEntries(r.models.map((m) => [m.name, m]));
  assert.deepEqual(Object.keys(by), ["blocking", "thread-per-connection", "non-blocking", "multiplexing", "async"]);
  for (const m of r.models) assert.equal(m.bytes, 10 * 1024, `${m.name} read every byte`);
  assert.ok(by.blocking.total_ms >= 10 * 200 - 5, `blocking ${by.blocking.total_ms}`);
  for (const name of ["thread-per-connection", "non-blocking", "multiplexing", "async"]) {
    assert.ok(by[name].total_ms >= 195 && by[name].total_ms < 10 * 200 / 2, `${name} ${by[name].total_ms}`);
  }
  // Polling keeps its thread running for the whole wait; multiplexing sleeps in its waits.
  assert.ok(by["non-blocking"].cpu_ms > 0.5 * by["non-blocking"].total_ms, `polling busy ${by["non-blocking"].cpu_ms}`);
  assert.ok(by["non-blocking"].cpu_ms > 10 * by.multiplexing.cpu_ms, "polling burns more CPU than multiplexing");
  assert.ok(by["non-blocking"].calls > 1000, `polling checked ${by["non-blocking"].calls} times`);
  assert.ok(by.multiplexing.calls >= 11 && by.multiplexing.calls <= 20, `multiplexing calls ${by.multiplexing.calls}`);
  assert.equal(by.async.cpu_ms, null);
  // The model beside it: the ideal the measurement approaches.
  assert.deepEqual(r.model.map((t) => [t.name, t.total_ms, t.busy_ms]), [
    ["blocking", 2000, 0], ["thread-per-connection", 200, 0], ["non-blocking", 200, 200],
    ["multiplexing", 200, 0], ["async", 200, 0]]);
  for (const t of r.model) assert.ok(by[t.name].total_ms >= t.total_ms - 5, `${t.name} measured below its model`);
  // Each connection's two phases: blocked requests follow each other and cannot be split;
  // in flight, data arrives after the server's delay and is handled after it arrived.
  for (const m of r.models) assert.equal(m.connections.length, 10, m.name);
  const blocked = by.blocking.connections;
  for (let i = 1; i < 10; i++) assert.ok(blocked[i].issued_ms >= blocked[i - 1].handled_ms - 1, `request ${i} waited for ${i - 1}`);
  assert.ok(blocked.every((c) => c.ready_ms === null && c.handled_ms - c.issued_ms >= 195));
  for (const name of ["non-blocking", "multiplexing", "async"]) {
    for (const c of by[name].connections) {
      assert.ok(c.ready_ms >= 195 && c.handled_ms >= c.ready_ms - 2, `${name}: ${JSON.stringify(c)}`);
    }
  }

  await lab.page.fill("[data-testid=io-connections]", "4");
  await lab.page.fill("[data-testid=io-delay]", "100");
  await lab.page.click("[data-testid=io-models] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=io-models-table]", { timeout: 60000 });
  assert.equal(await lab.page.locator("[data-testid=io-models-table] tbody tr").count(), 5);
  assert.equal(await lab.page.locator("[data-testid=io-cpu-chart] .bar-row").count(), 4, "async has no busy thread to show");
  assert.equal(await lab.page.locator("[data-testid=io-connections] .model-lane").count(), 5);
  assert.equal(await lab.page.locator("[data-testid=io-connections] [data-model=blocking] rect.io-blocked").count(), 4);
  assert.equal(await lab.page.locator("[data-testid=io-connections] [data-model=multiplexing] rect.io-waiting").count(), 4);
  await lab.page.screenshot({ path: join(ARTIFACTS, "io-models.png"), fullPage: true });
  assert.match(await lab.consoleError("io-models", { connections: 17 }), /connections must be an integer between 1 and 16/);
  lab.assertNoProblems();
});

test("seeded delays: the same workload for the real requests and the model, answers in delay order", async () => {
  const lab = await ioPage();
  const r = await lab.consoleRun("io-models", { connections: 6, delay_ms: 200, bytes: 256, seed: 7 });
  assert.equal(r.seed, 7);
  assert.equal(r.delays_ms.length, 6);
  assert.ok(r.delays_ms.every((d) => d >= 100 && d <= 300), JSON.stringify(r.delays_ms));
  assert.ok(new Set(r.delays_ms).size > 1, "a seed spreads the delays");
  const sum = r.delays_ms.reduce((a, b) => a + b, 0);
  const longest = Math.max(...r.delays_ms);
  const model = Object.fromEntries(r.model.map((t) => [t.name, t.total_ms]));
  assert.deepEqual(model, { blocking: sum, "thread-per-connection": longest, "non-blocking": longest, multiplexing: longest, async: longest });
  const by = Object.fromEntries(r.models.map((m) => [m.name, m]));
  assert.ok(by.blocking.total_ms >= sum - 5, `blocking ${by.blocking.total_ms} vs the delays' sum ${sum}`);
  // Each connection's data arrives after its own delay: in flight, the arrival order is the delays' order.
  for (const name of ["non-blocking", "multiplexing", "async"]) {
    by[name].connections.forEach((c, i) => {
      assert.ok(c.ready_ms >= r.delays_ms[i] - 5 && c.ready_ms < r.delays_ms[i] + 400, `${name} connection ${i}: ${c.ready_ms} vs ${r.delays_ms[i]}`);
    });
  }
  // The same seed gives the same delays (the service worker is told each one).
  const again = await lab.consoleRun("io-models", { connections: 6, delay_ms: 200, bytes: 256, seed: 7 });
  assert.deepEqual(again.delays_ms, r.delays_ms);
  assert.match(await lab.consoleError("io-models", { seed: -1 }), /seed must be an integer between 0 and 1000000/);
  lab.assertNoProblems();
});

test("the model steps through all five side by side: kernel buffers, threads, the Python call", async () => {
  const lab = await ioPage();
  const page = lab.page;
  await page.fill("[data-testid=io-connections]", "3");
  await page.fill("[data-testid=io-delay]", "100");
  await page.fill("[data-testid=io-seed]", "0");
  assert.equal(await lab.text("io-walk-delays"), "fd 4 100 ms, fd 5 100 ms, fd 6 100 ms");
  // 3 connections arriving together: blocking 3 steps each, a thread each 1 + 2 each,
  // non-blocking and multiplexing 1 + 2 + 3, async 1 + 3.
  assert.equal(await page.getAttribute("[data-testid=io-walk-slider]", "max"), "32");
  const now = () => lab.text("io-walk-now");
  assert.match(await now(), /step 0 of 32/);
  await page.click("[data-testid=io-walk-next]");
  assert.match(await now(), /step 1 of 32\s*t = 0 ms\s*blocking: recv on fd 4: the request goes out and the thread blocks/);
  const card = (model) => page.locator(`[data-testid=io-walkthrough] [data-model=${model}]`);
  assert.equal(await card("blocking").locator(".fd.waiting").count(), 1);
  assert.equal(await card("blocking").locator(".fd.unsent").count(), 2);
  assert.match(await card("blocking").locator("code.python").textContent(), /sock\.recv\(1024\)/);
  // Keyboard: the buttons are reachable and act on Enter.
  await page.focus("[data-testid=io-walk-next]");
  for (let i = 0; i < 4; i++) await page.keyboard.press("Enter");
  assert.match(await now(), /step 5 of 32\s*t = 0 ms\s*async: 3 requests out/);
  assert.match(await card("multiplexing").locator("[data-testid=io-walk-thread]").textContent(), /asleep in select/);
  assert.match(await card("non-blocking").locator("[data-testid=io-walk-thread]").textContent(), /checking again and again \(on a core\)/);
  assert.equal(await card("thread-per-connection").locator(".fd.waiting").count(), 3);
  // At t = 100 ms multiplexing's kernel buffers fill before select returns them.
  let seen = false;
  for (let i = 5; i < 32 && !seen; i++) {
    await page.click("[data-testid=io-walk-next]");
    seen = /multiplexing: data reaches the kernel buffer of fd 4, fd 5, fd 6/.test(await now());
  }
  assert.ok(seen, "multiplexing's arrival step");
  assert.equal(await card("multiplexing").locator(".fd.in-kernel").count(), 3);
  assert.match(await card("multiplexing").locator("[data-testid=io-walk-thread]").textContent(), /asleep in select/);
  await page.click("[data-testid=io-walk-next]");
  assert.match(await now(), /multiplexing: select wakes and returns \[fd 4, fd 5, fd 6\]/);
  await page.click("[data-testid=io-walk-end]");
  assert.match(await now(), /step 32 of 32\s*t = 300 ms/);
  assert.equal(await page.locator("[data-testid=io-walkthrough] .io-walk-models .fd.copied").count(), 15);
  for (const t of await page.locator("[data-testid=io-walk-thread]").allTextContents()) assert.match(t, /done/);
  // Play runs on its own, and a new workload starts again from step 0.
  await page.click("[data-testid=io-walk-reset]");
  await page.click("[data-testid=io-walk-play]");
  await page.waitForFunction(() => /step [3-9] /.test(document.querySelector("[data-testid=io-walk-now]").textContent), null, { timeout: 5000 });
  await page.fill("[data-testid=io-seed]", "5");
  assert.match(await now(), /step 0 of \d+/);
  assert.notEqual(await lab.text("io-walk-delays"), "fd 4 100 ms, fd 5 100 ms, fd 6 100 ms");
  await page.screenshot({ path: join(ARTIFACTS, "io-walkthrough.png"), fullPage: true });
  lab.assertNoProblems();
});
