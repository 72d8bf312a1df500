// End-to-end: dist/ on a static host that sends no COOP/COEP (GitHub Pages), under a
// sub-path (a project site, https://USER.github.io/REPO/). The site's own service worker must
// make the page cross-origin isolated, with one reload, so the thread labs run; where service
// workers are blocked, a banner says what works, and the model labs still do.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { serve } from "../serve.mjs";
import { launch, openPage, ARTIFACTS } from "../browser.mjs";
import { DIST } from "../harness.mjs";

const host = { server: null, browser: null };
before(async () => {
  host.server = await serve(DIST, { isolate: false, prefix: "/concurrency-lab" });
  host.browser = await launch();
});
after(async () => {
  await host.browser?.close();
  await host.server?.close();
});

test("without COOP/COEP and under a sub-path, the service worker isolates the page and threads run", async () => {
  const page = await openPage(host.browser);
  const navigations = [];
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) navigations.push(frame.url()); });
  await page.goto(`${host.server.url}/#/cores`);
  await page.waitForFunction(() => window.crossOriginIsolated, null, { timeout: 30000 });
  await page.waitForSelector("[data-testid=pool]:has-text('ready')", { timeout: 30000 });
  // One reload, no loop: the first load registers the worker, the second is isolated.
  assert.equal(navigations.length, 2, navigations.join(" → "));
  assert.ok(navigations.every((u) => u.startsWith(`${host.server.url}/`)), "stays under the sub-path");
  const registration = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
  assert.equal(registration, `${host.server.url}/`, "the worker is scoped to the site's own path");
  const r = await page.evaluate(() => window.lab.run("cores", { threads: 2, repeats: 1, max_iter: 200 }));
  assert.equal(r.cross_origin_isolated, true);
  assert.equal(r.threads_used, 2);
  assert.equal(r.same_as_baseline, true);
  // A later visit in the same session is isolated at once (the worker controls it).
  await page.reload();
  await page.waitForSelector("[data-testid=pool]:has-text('ready')", { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), true);
  assert.equal(navigations.length, 3, "a plain reload is isolated without another reload");
  await page.screenshot({ path: join(ARTIFACTS, "hosting-subpath.png") });
  assert.deepEqual(page.problems, []);
});

test("with service workers blocked, a banner says what works and the model labs run", async () => {
  const page = await openPage(host.browser, { serviceWorkers: "block" });
  await page.goto(`${host.server.url}/#/explorer`);
  // The boot waits for the worker (up to 5 s) before it says why threads are off.
  await page.waitForFunction(() => /service worker/.test(document.querySelector("[data-testid=isolation-banner]")?.textContent ?? ""), null, { timeout: 30000 });
  const banner = await page.textContent("[data-testid=isolation-banner]");
  assert.match(banner, /Threads are off/);
  assert.match(banner, /step-through models .* still work/);
  assert.match(banner, /service worker/, "it says why");
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), false);
  const r = await page.evaluate(() => window.lab.run("explore", { preset: "balance" }));
  assert.deepEqual([r.ran_on, r.total_schedules], ["main-thread (budget reduced)", 70], "the model runs on the page itself");
  assert.match(await page.evaluate(() => window.lab.run("cores", {}).then(() => "resolved", (e) => e.message)), /thread|isolat/i);
  await page.screenshot({ path: join(ARTIFACTS, "hosting-no-sw.png") });
  assert.deepEqual(page.problems.filter((p) => !/SharedArrayBuffer|isolat/i.test(p)), []);
});
