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

test("a Content-Security-Policy allows only the page's own scripts, and nothing on the site breaks it", async () => {
  const page = await openPage(host.browser);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective}: ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
  });
  await page.goto(`${host.server.url}/#/`);
  await page.waitForSelector("[data-testid=pool]:has-text('ready')", { timeout: 30000 });
  const policy = await page.getAttribute("meta[http-equiv=Content-Security-Policy]", "content");
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+'){3}; worker-src 'self' blob:;/);
  const scriptSrc = policy.split(";").find((d) => d.trim().startsWith("script-src")).trim().split(/\s+/);
  assert.ok(!scriptSrc.includes("'unsafe-eval'") && !scriptSrc.includes("'unsafe-inline'"), "no eval, no inline scripts beyond the hashed ones");
  // Every page, and the experiments that make workers of their own (process tasks, your JS
  // in a Worker, litmus workers), the service worker's IO routes and the explorer.
  for (const route of ["cores", "shared-memory", "gil", "processes", "io", "explorer", "event-loop"]) {
    await page.evaluate((r) => { location.hash = `#/${r}`; }, route);
    await page.waitForSelector("main h2, section.lab h2", { timeout: 10000 });
  }
  const results = await page.evaluate(async () => [
    (await window.lab.run("pool", { tasks: 4, task_ms: 10 })).results.length,
    (await window.lab.run("js-real", { source: "console.log(1 + 1)" })).output.join(),
    (await window.lab.run("litmus-hw", { iterations: 2000 })).runs,
    (await window.lab.run("io-models", { connections: 2, delay_ms: 20 })).connections,
    (await window.lab.run("explore", { preset: "balance" })).final_states.length,
  ]);
  assert.deepEqual(results, [4, "2", 2000, 2, 7]);
  // An inline script injected now is refused: the policy is enforced, not just present.
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__injected = true";
    document.head.append(s);
  });
  assert.equal(await page.evaluate(() => window.__injected ?? false), false);
  const violations = await page.evaluate(() => window.__violations);
  assert.equal(violations.length, 1, violations.join("\n"));
  assert.match(violations[0], /^script-src-elem: inline/);
  assert.deepEqual(page.problems.filter((p) => !/Content Security Policy/.test(p)), []);
});
