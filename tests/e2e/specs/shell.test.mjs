// End-to-end: the app shell: isolation, the worker pool, the lab registry, panics, and
// the page served without COOP/COEP.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { serve } from "../serve.mjs";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite, DIST } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();

test("the page is cross-origin isolated and starts one worker per core (at least 6)", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("");
  await lab.waitForPool();
  const facts = await lab.page.evaluate(() => ({ coi: crossOriginIsolated, cores: navigator.hardwareConcurrency, m: window.lab.machine() }));
  assert.equal(facts.coi, true);
  assert.equal(facts.m.pool_threads, Math.min(Math.max(facts.cores, 6), 16));
  assert.match(await lab.text("pool"), /workers ready in \d+ ms/);
  lab.assertNoProblems();
});

test("every lab in the registry has a card and a page", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("");
  const pages = await lab.page.$$eval("[data-testid^=card-]", (cards) => cards.map((c) => c.dataset.testid.slice(5)));
  assert.ok(pages.includes("cores"), `pages: ${pages}`);
  for (const id of pages) {
    await lab.page.click(`[data-testid=card-${id}]`);
    await lab.page.waitForSelector("section.lab h2");
    assert.equal(await lab.page.evaluate(() => location.hash), `#/${id}`);
    await lab.open("");
  }
  const experiments = await lab.page.evaluate(() => window.lab.labs());
  assert.ok(experiments.includes("cores"), `experiments: ${experiments}`);
  lab.assertNoProblems();
});

test("a worker panic is reported in the page", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("cores");
  await lab.waitForPool();
  const message = await lab.page.evaluate(() => window.lab.selftest("worker-panic").then(() => "no error", (e) => e.message));
  assert.match(message, /A worker thread panicked: .*deliberate panic/s);
  await lab.page.waitForSelector("[data-testid=crash]", { timeout: 5000 });
  assert.match(await lab.text("crash"), /deliberate panic.*Reload the page/s);
  // The panic is logged as a console error on purpose; nothing else may be.
  assert.deepEqual(lab.page.problems.filter((p) => !/deliberate panic|unreachable/.test(p)), []);
});

test("without COOP/COEP headers the page explains why threads are off", async () => {
  const plain = await serve(DIST, { isolate: false });
  try {
    const page = await openPage(site.browser);
    await page.goto(`${plain.url}/#/cores`);
    const banner = page.locator("[data-testid=isolation-banner], #boot-error:not([hidden])");
    await banner.first().waitFor({ timeout: 15000 });
    assert.match(await banner.first().textContent(), /cross-origin isolated/);
    await page.screenshot({ path: join(ARTIFACTS, "not-isolated.png"), fullPage: true });
  } finally {
    await plain.close();
  }
});
