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
