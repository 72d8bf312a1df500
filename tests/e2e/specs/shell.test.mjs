// End-to-end: the app shell: isolation, the worker pool and its conductor, the lab registry,
// the syllabus, lab.help(), panics, and the page served without COOP/COEP.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { serve } from "../serve.mjs";
import { launch, openPage, ARTIFACTS } from "../browser.mjs";
import { assertNear, useSite, DIST } from "../harness.mjs";
import { EventLoopPage, ExplorerPage, LabPage, smallestChartText } from "../pages.mjs";

const site = useSite();

/** Lab pages in menu order, and the experiments `lab.run` accepts (src/model/labs.rs). */
const LABS = ["cores", "shared-memory", "gil", "processes", "io", "explorer", "event-loop"];
const EXPERIMENTS = ["cores", "race", "deadlock", "semaphore", "signals", "queue", "starvation", "gil", "thread-count", "sched-model", "isolation", "pool", "crash", "downloads", "join-daemon", "costs", "thread-local", "subprocess", "process-loops", "manager", "io-models", "select-epoll", "explore", "litmus-hw", "async-waits", "block-loop", "loop-model", "js-real"];

async function openHome() {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("");
  return lab;
}

test("the page is cross-origin isolated and starts one worker per core (at least 6)", async () => {
  const lab = await openHome();
  await lab.waitForPool();
  const facts = await lab.page.evaluate(() => ({ coi: crossOriginIsolated, cores: navigator.hardwareConcurrency, m: window.lab.machine() }));
  assert.equal(facts.coi, true);
  assert.equal(facts.m.cross_origin_isolated, true);
  assert.equal(facts.m.cores, facts.cores);
  assert.equal(facts.m.pool_threads, Math.min(Math.max(facts.cores, 6), 16));
  assert.match(await lab.text("pool"), new RegExp(`^${facts.m.pool_threads} workers ready in \\d+ ms$`));
  assert.equal(await lab.text("cores"), `${facts.cores} logical cores`);
  assert.equal(await lab.text("isolation"), "cross-origin isolated ✓");
  lab.assertNoProblems();
});

test("the pool is started by one worker named lab-conductor, not by the page", async () => {
  // A browser of its own: DevTools' target list spans every page of a browser.
  const browser = await launch();
  const lab = new LabPage(await openPage(browser), site.server.url);
  await lab.open("");
  await lab.waitForPool();
  // DevTools lists workers by name: ask it as DevTools does. The conductor parks in
  // atomic.wait, so it cannot be asked itself.
  const cdp = await lab.page.context().newCDPSession(lab.page);
  const { pool_threads } = await lab.page.evaluate(() => window.lab.machine());
  let workers = [];
  for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
    workers = (await cdp.send("Target.getTargets")).targetInfos.filter((t) => t.type === "worker");
    if (workers.length >= pool_threads + 1) break;
    await lab.page.waitForTimeout(100);
  }
  const names = workers.map((w) => w.title);
  assert.deepEqual(names.filter((n) => n === "lab-conductor"), ["lab-conductor"]);
  // The conductor and the compute workers it started: nothing else.
  assert.equal(workers.length, pool_threads + 1, names.join(", "));
  lab.assertNoProblems();
  await browser.close();
});

test("every lab in the registry has a card, a nav link and a page", async () => {
  const lab = await openHome();
  const cards = await lab.page.$$eval("[data-testid^=card-]", (cards) => cards.map((c) => c.dataset.testid.slice(5)));
  assert.deepEqual(cards, LABS);
  const nav = await lab.page.$$eval("nav[aria-label=Labs] a", (links) => links.map((a) => a.getAttribute("href")));
  assert.deepEqual(nav, ["#/", ...LABS.map((id) => `#/${id}`)]);
  const badges = await lab.page.$$eval("[data-testid^=card-] .badge", (els) => els.map((e) => e.textContent.trim()));
  assert.deepEqual(badges, ["real threads", "real threads", "real threads", "real threads", "real threads", "model", "real · one thread"]);
  for (const id of cards) {
    await lab.page.click(`[data-testid=card-${id}]`);
    await lab.page.waitForSelector("section.lab h2");
    assert.equal(await lab.page.evaluate(() => location.hash), `#/${id}`);
    assert.equal(await lab.page.getAttribute("nav[aria-label=Labs] a.active", "href"), `#/${id}`);
    await lab.open("");
  }
  assert.deepEqual(await lab.page.evaluate(() => window.lab.labs()), EXPERIMENTS);
  lab.assertNoProblems();
});

test("the syllabus has all 48 rows; its links lead to labs that exist and planned rows say so", async () => {
  const lab = await openHome();
  const nav = await lab.page.$$eval("nav[aria-label=Labs] a", (links) => links.map((a) => a.getAttribute("href")).filter((h) => h !== "#/"));
  const rows = await lab.page.$$eval("table.syllabus tbody tr", (trs) => trs.map((tr) => ({
    planned: tr.classList.contains("planned"),
    concept: tr.cells[0].textContent.trim(),
    zh: tr.cells[1].textContent.trim(),
    links: [...tr.cells[2].querySelectorAll("a")].map((a) => ({ href: a.getAttribute("href"), text: a.textContent.trim() })),
    plannedLabs: [...tr.cells[2].querySelectorAll(".planned-lab")].map((s) => s.textContent.trim()),
  })));
  assert.equal(rows.length, 48);
  assert.ok(rows.every((r) => r.concept !== "" && r.zh !== ""), "every row names its concept in English and Chinese");
  const planned = rows.filter((r) => r.planned);
  // As many as src/model/labs/tests.rs pins; it falls as labs start showing rows.
  assert.equal(planned.length, 0, `${planned.length} planned rows`);
  // Every link points at a lab in the navigation, under that lab's title.
  const titles = Object.fromEntries(await lab.page.$$eval("nav[aria-label=Labs] a", (links) =>
    links.map((a) => [a.getAttribute("href"), a.textContent.trim()])));
  for (const link of rows.flatMap((r) => r.links)) {
    assert.ok(nav.includes(link.href), `syllabus link ${link.href} is not a lab`);
    assert.equal(link.text, titles[link.href]);
  }
  // A row shown by a lab links to it; a lab that does not exist yet is named, not linked.
  for (const row of rows.filter((r) => !r.planned)) assert.ok(row.links.length >= 1, `${row.concept} links no lab`);
  for (const name of rows.flatMap((r) => r.plannedLabs)) assert.match(name, /^\S.* \(planned\)$/);
  // A planned row links nothing: it is not shown anywhere yet.
  for (const row of planned) assert.deepEqual(row.links, [], `${row.concept} is planned but links a lab`);
  for (const row of planned) assert.ok(row.links.length + row.plannedLabs.length >= 1, `${row.concept} names no lab`);
  lab.assertNoProblems();
});

test("lab.help() lists every experiment's parameters with the ranges run() enforces", async () => {
  const lab = await openHome();
  const rows = await lab.page.evaluate(() => window.lab.help());
  assert.ok(Array.isArray(rows));
  for (const row of rows) assert.deepEqual(Object.keys(row).sort(), ["doc", "experiment", "parameter", "range", "summary"]);
  const ids = await lab.page.evaluate(() => window.lab.labs());
  assert.deepEqual([...new Set(rows.map((r) => r.experiment))], ids, "one group of rows per experiment, in menu order");
  const race = rows.find((r) => r.experiment === "race" && r.parameter === "threads");
  assert.equal(race.range, "integer 1..=16, default 2");
  assert.deepEqual(rows.filter((r) => r.experiment === "cores").map((r) => r.parameter),
    ["threads", "width", "height", "max_iter", "chunk_rows", "schedule", "repeats"]);
  assert.equal(rows.find((r) => r.experiment === "cores" && r.parameter === "schedule").range,
    "one of parallel | interleaved, default parallel");
  // Each printed range is the one run() checks: a value just outside it is refused with the
  // field's name and range, before any work starts.
  const cases = [];
  for (const id of ids) {
    const params = rows.filter((r) => r.experiment === id);
    cases.push({ id, params: { no_such_field: 1 },
      expected: `${id}: unknown parameter 'no_such_field'; parameters are: ${params.map((r) => r.parameter).join(", ")}` });
    for (const { parameter: name, range } of params) {
      let m;
      if ((m = range.match(/^integer (-?\d+)\.\.=(\d+), default (-?\d+)$/))) {
        const [min, max, fallback] = [Number(m[1]), Number(m[2]), Number(m[3])];
        assert.ok(min <= fallback && fallback <= max, `${id}.${name}: ${range}`);
        if (max + 1 <= Number.MAX_SAFE_INTEGER) {
          cases.push({ id, params: { [name]: max + 1 }, expected: `${id}: ${name} must be an integer between ${min} and ${max} (got ${max + 1})` });
        }
        cases.push({ id, params: { [name]: min - 1 }, expected: `${id}: ${name} must be an integer between ${min} and ${max} (got ${min - 1})` });
      } else if ((m = range.match(/^one of (.+), default (\S+)$/))) {
        const options = m[1].split(" | ");
        assert.ok(options.includes(m[2]), `${id}.${name}: ${range}`);
        cases.push({ id, params: { [name]: "bogus" }, expected: `${id}: ${name} must be one of ${options.join(", ")} (got "bogus")` });
      } else if ((m = range.match(/^true or false, default (true|false)$/))) {
        cases.push({ id, params: { [name]: "yes" }, expected: `${id}: ${name} must be true or false (got "yes")` });
      } else if ((m = range.match(/^text of at most (\d+) characters$/))) {
        cases.push({ id, params: { [name]: 5 }, expected: `${id}: ${name} must be a text of at most ${m[1]} characters (got 5)` });
      } else {
        assert.fail(`${id}.${name}: unexpected range text ${range}`);
      }
    }
  }
  const messages = await lab.page.evaluate((cases) => Promise.all(cases.map(({ id, params }) =>
    window.lab.run(id, params).then(() => "resolved", (e) => e.message))), cases);
  assert.deepEqual(messages, cases.map((c) => c.expected));
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
  // The reload action brings a working page back.
  await Promise.all([lab.page.waitForNavigation(), lab.page.click("[data-testid=crash-reload]")]);
  await lab.waitForPool();
  assert.equal(await lab.page.locator("[data-testid=crash]").count(), 0);
  // The panic is logged as a console error on purpose; nothing else may be.
  assert.deepEqual(lab.page.problems.filter((p) => !/deliberate panic|unreachable/.test(p)), []);
});

test("without COOP/COEP headers and without service workers the page explains why threads are off", async () => {
  const plain = await serve(DIST, { isolate: false });
  try {
    // With service workers the site isolates itself (hosting.test.mjs); blocked, it cannot.
    const page = await openPage(site.browser, { serviceWorkers: "block" });
    await page.goto(`${plain.url}/#/cores`);
    const banner = page.locator("[data-testid=isolation-banner], #boot-error:not([hidden])");
    await banner.first().waitFor({ timeout: 15000 });
    await page.waitForFunction(() => /service worker/.test(document.querySelector("[data-testid=isolation-banner]")?.textContent ?? ""), null, { timeout: 15000 });
    assert.match(await banner.first().textContent(), /cross-origin isolated \(the site's service worker did not take control/);
    // A disabled Run says why, next to it.
    await page.goto(`${plain.url}/#/shared-memory`);
    await page.waitForSelector("[data-testid=disabled-why]", { timeout: 15000 });
    assert.match(await page.textContent("[data-testid=disabled-why]"), /^Run is off: this needs worker threads/);
    assert.equal(await page.isDisabled("[data-testid=run]"), true);
    await page.screenshot({ path: join(ARTIFACTS, "not-isolated.png"), fullPage: true });
  } finally {
    await plain.close();
  }
});

test("the home page's glossary explains each term in English and Chinese", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("");
  const rows = await lab.page.$$eval("[data-testid=glossary] tbody tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  assert.ok(rows.length >= 16, `${rows.length} terms`);
  for (const [term, meaning, zh, meaningZh] of rows) {
    assert.ok(term && meaning.endsWith(".") && zh && meaningZh.endsWith("。"), `${term}: ${meaning} / ${zh}: ${meaningZh}`);
  }
  assert.deepEqual(rows.find((r) => r[0] === "cross-origin isolated").slice(2, 3), ["跨源隔离"]);
  lab.assertNoProblems();
});

test("every page at 1280 px is saved as a screenshot artifact, with no console problem", async () => {
  const page = await openPage(site.browser, { viewport: { width: 1280, height: 800 } });
  for (const route of ["", ...LABS]) {
    await page.goto(`${site.server.url}/#/${route}`);
    await page.waitForSelector("main h2, main h1, main .home", { timeout: 15000 });
    const shot = await page.screenshot({ path: join(ARTIFACTS, `desktop-${route || "home"}.png`), fullPage: true });
    assert.ok(shot.length > 10000, `#/${route}: a ${shot.length}-byte screenshot is blank`);
  }
  assert.deepEqual(page.problems, []);
});

test("on a phone (390 px) no page is wider than the screen, before or after a run", async () => {
  const page = await openPage(site.browser, { viewport: { width: 390, height: 844 } });
  const width = () => page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  for (const route of ["", ...LABS]) {
    await page.goto(`${site.server.url}/#/${route}`);
    await page.waitForSelector("main h2, main h1, main .home", { timeout: 15000 });
    const [scroll, client] = await width();
    assert.equal(scroll, client, `#/${route} is ${scroll} px wide on a ${client} px screen`);
    await page.screenshot({ path: join(ARTIFACTS, `phone-${route || "home"}.png`), fullPage: true });
  }
  // The cores table once widened the page to 664 px: run it and look again.
  await page.goto(`${site.server.url}/#/cores`);
  await page.waitForSelector("[data-testid=pool]:has-text('ready')", { timeout: 30000 });
  await page.fill("[data-testid=max-iter]", "100");
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=summary]", { timeout: 60000 });
  const [scroll, client] = await width();
  assert.equal(scroll, client, `cores after a run: ${scroll} px on ${client} px`);
  // A sweep adds the speedup chart; every chart keeps its text at 9 px or more and the
  // timeline scrolls sideways instead of shrinking.
  await page.click("[data-testid=sweep]");
  await page.waitForSelector("[data-testid=speedup-chart]", { timeout: 60000 });
  await page.waitForSelector("[data-testid=cancel][disabled]", { timeout: 60000 });
  await assertChartsReadable(page, ["timeline", "speedup-chart"]);
  assert.ok(await page.$eval("[data-testid=timeline] .chart-scroll", (el) => el.scrollWidth > el.clientWidth), "the timeline scrolls");
  await page.screenshot({ path: join(ARTIFACTS, "phone-cores.png"), fullPage: true });
  assert.deepEqual(page.problems, []);
});

/** Asserts every chart on the page draws its text at 9 px or more and the page fits the screen. */
async function assertChartsReadable(page, charts) {
  for (const chart of charts) await page.waitForSelector(`[data-testid=${chart}] svg`, { timeout: 60000 });
  const least = await smallestChartText(page);
  assert.ok(least.px >= 9, `the smallest chart text is ${least.px.toFixed(1)} px, in ${least.chart}`);
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.equal(scroll, client, `${charts.join(", ")}: the page is ${scroll} px wide on ${client} px`);
}

test("on a phone (390 px) every lab's charts keep text of 9 px or more and scroll sideways instead", async () => {
  const lab = new LabPage(await openPage(site.browser, { viewport: { width: 390, height: 844 } }), site.server.url);
  const { page } = lab;
  await lab.open("shared-memory");
  await lab.waitForPool();
  await lab.run("race-histogram");
  await assertChartsReadable(page, ["race-histogram", "race-costs", "timeline"]);
  await lab.open("gil");
  await assertChartsReadable(page, ["sched-serial", "sched-greenlet"]);
  await lab.open("io");
  await lab.waitForPool();
  await page.fill("[data-testid=io-max-fds]", "300");
  await page.click("[data-testid=io-select] [data-testid=run]");
  await page.waitForSelector("[data-testid=io-chart] svg", { timeout: 60000 });
  await page.click("[data-testid=io-models] [data-testid=run]");
  await assertChartsReadable(page, ["io-chart", "io-total-chart", "io-connections"]);
  const events = new EventLoopPage(page, site.server.url);
  await events.open("event-loop");
  await events.waitForPool();
  await events.runAllBlockModes(200);
  await events.step(3);
  await assertChartsReadable(page, ["bl-strip-block", "bl-strip-offload", "model-gantt"]);
  // A 1000-unit strip scrolls at this width (its 12-unit labels would be 4 px if it shrank).
  assert.ok(await page.$eval("[data-testid=model-gantt] .chart-scroll", (el) => el.scrollWidth > el.clientWidth));
  const explorer = new ExplorerPage(page, site.server.url);
  await explorer.open();
  await explorer.step(0);
  await assertChartsReadable(page, ["schedule"]);
  await page.screenshot({ path: join(ARTIFACTS, "phone-charts.png"), fullPage: true });
  assert.deepEqual(page.problems, []);
});

test("DevTools: a run's spans are performance.measure entries named lab:<lab>:T<n>:<state>", async () => {
  const page = await openPage(site.browser);
  await page.goto(`${site.server.url}/#/cores`);
  await page.waitForSelector("[data-testid=pool]:has-text('ready')", { timeout: 30000 });
  await page.fill("[data-testid=max-iter]", "100");
  await page.click("[data-testid=run]");
  await page.waitForSelector("[data-testid=summary]", { timeout: 60000 });
  const measures = await page.evaluate(() => performance.getEntriesByType("measure")
    .filter((m) => m.name.startsWith("lab:")).map((m) => ({ name: m.name, start: m.startTime, duration: m.duration })));
  assert.ok(measures.length >= 3, `${measures.length} measures`);
  for (const m of measures) {
    assert.match(m.name, /^lab:cores:T[1-9]\d*:(new|idle|working|blocked|waiting|sleeping|dead)$/, m.name);
    assert.ok(m.duration >= 0 && m.start > 0, JSON.stringify(m));
  }
  // The 1-thread baseline and both threads of the 2-thread run worked, on whichever
  // workers of the pool ran them: two or three distinct threads.
  const working = new Set(measures.filter((m) => m.name.endsWith(":working")).map((m) => m.name));
  assert.ok(working.size === 2 || working.size === 3, [...working].join(", "));
  // lab.trace(): the same run in Chrome's trace-event JSON, one complete event per span.
  const trace = await page.evaluate(() => window.lab.trace());
  assert.equal(trace.displayTimeUnit, "ms");
  const complete = trace.traceEvents.filter((e) => e.ph === "X");
  const threads = trace.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name");
  assert.equal(complete.length, measures.length, "every span is an event");
  assert.deepEqual(new Set(complete.map((e) => e.tid)), new Set(threads.map((e) => e.tid)));
  assert.ok(threads.every((t) => /^worker \d+$/.test(t.args.name)), JSON.stringify(threads));
  // Times count from the first event (a phase mark or a span).
  assert.equal(Math.min(...trace.traceEvents.filter((e) => e.ph !== "M").map((e) => e.ts)), 0);
  assert.ok(complete.every((e) => e.ts >= 0 && e.dur >= 0));
  // Durations agree with the measures DevTools shows (µs vs ms), span for span.
  const total = (xs) => xs.reduce((a, b) => a + b, 0);
  assertNear(total(complete.map((e) => e.dur)) / 1000, total(measures.map((m) => m.duration)), 0.01 * measures.length, "total span time");
  assert.ok(complete.every((e) => ["new", "idle", "working", "blocked", "waiting", "sleeping", "dead"].includes(e.name)));
  // The timeline saves as a standalone SVG (same bars, styles inlined) and as a 2× PNG.
  const saved = async (testid) => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`[data-testid=timeline] [data-testid=${testid}]`)]);
    return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
  };
  const svg = await saved("save-svg");
  assert.equal(svg.name, "timeline.svg");
  const text = svg.bytes.toString("utf8");
  assert.match(text, /^<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((text.match(/<rect /g) ?? []).length, await page.locator("[data-testid=timeline] svg rect").count());
  assert.match(text, /style="fill:rgb\(/, "colours travel with the file");
  const png = await saved("save-png");
  assert.equal(png.name, "timeline.png");
  assert.deepEqual([...png.bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG file");
  assert.equal(png.bytes.readUInt32BE(16), 2000, "twice the chart's 1000-unit width");
  assert.deepEqual(page.problems, []);
});

test("the language toggle switches the shell to 中文 and back, is remembered, and keeps a lab's inputs", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("processes");
  await lab.waitForPool();
  assert.equal(await lab.page.getAttribute("html", "lang"), "en", "an English browser starts in English");
  await lab.page.fill("[data-testid=pr-increments]", "4321");
  await lab.page.click("[data-testid=language]");
  await lab.page.waitForSelector("html[lang=zh-CN]");
  assert.equal(await lab.page.textContent("nav a[href='#/']"), "首页");
  assert.match(await lab.text("pool"), /^\d+ 个工作线程已就绪，用时 \d+ 毫秒$/);
  assert.equal(await lab.page.textContent("nav a[href='#/processes']"), "多进程");
  assert.equal(await lab.page.inputValue("[data-testid=pr-increments]"), "4321", "the switch keeps the lab's inputs");
  // Section headings and badges follow; an introduction shows in the page's language only.
  assert.equal(await lab.page.textContent("#pr-isolation-title"), "一个全局变量，两个进程，两个线程");
  assert.equal(await lab.page.textContent("#processes-title .badge"), "真实进程");
  assert.equal(await lab.page.isVisible(".zh-lede"), true);
  assert.equal(await lab.page.isVisible(".lede:not(.zh-lede)"), false);
  // The lab's idea: the concept in Chinese, the notes' Python beside the Rust that runs.
  await lab.page.click("[data-testid=lab-idea] summary");
  assert.match(await lab.text("lab-idea-text"), /进程有自己独立的内存/);
  assert.match(await lab.text("idiom-python"), /Pool\(5\)/);
  assert.match(await lab.text("idiom-rust"), /Process::spawn_many/);
  // Remembered across a reload; back to English with the same button.
  await lab.page.reload();
  await lab.page.waitForSelector("html[lang=zh-CN]");
  assert.equal(await lab.page.textContent("[data-testid=language]"), "English");
  await lab.page.click("[data-testid=language]");
  await lab.page.waitForSelector("html[lang=en]");
  assert.equal(await lab.page.textContent("nav a[href='#/']"), "Home");
  lab.assertNoProblems();
});

/**
 * Visible text in 中文 mode that reads as an English phrase: three or more Latin words and no
 * Chinese character, outside code, program listings and output, and text marked `lang=en`
 * (the bilingual syllabus and glossary columns, English titles beside Chinese ones).
 */
async function englishPhrases(page) {
  return page.evaluate(() => {
    const found = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      const text = walker.currentNode.textContent.trim();
      if (!el || el.closest("pre, code, textarea, script, style, [lang=en], [data-testid$=output], .output")) continue;
      if (!el.checkVisibility() || /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(text)) continue;
      // A word: three letters or more (not units like ms or fd); identifiers such as
      // thread-per-connection or spawn_local count once.
      if ((text.match(/[A-Za-z]{3,}(?:[-_.][A-Za-z0-9]+)*/g) ?? []).length >= 3) found.add(text.slice(0, 120));
    }
    return [...found];
  });
}

test("in 中文 every lab page, after a run, shows no English phrase outside code and marked English", async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("");
  await lab.page.evaluate(() => localStorage.setItem("concurrency-lab-language", "zh-CN"));
  await lab.page.reload();
  await lab.page.waitForSelector("html[lang=zh-CN]");
  await lab.page.waitForSelector("[data-testid=pool]:has-text('已就绪')", { timeout: 30000 });
  const seen = {};
  for (const route of ["", ...LABS]) {
    await lab.open(route);
    await lab.page.waitForSelector("html[lang=zh-CN]");
    // The first Run of each page, with its defaults, so results and verdicts are checked too.
    const run = lab.page.locator("[data-testid=run]:visible").first();
    if (route !== "" && (await run.count()) === 1 && (await run.isEnabled())) {
      await run.click();
      await lab.page.waitForFunction(() => !document.querySelector("[data-testid=cancel]:not([disabled])"), null, { timeout: 60000 });
    }
    const phrases = await englishPhrases(lab.page);
    if (phrases.length) seen[route || "home"] = phrases;
  }
  assert.deepEqual(seen, {}, "English phrases in 中文 mode, by page");
  lab.assertNoProblems();
});
