// End-to-end: your own JavaScript on the event-loop page. Every corpus program runs through
// the model (window.lab "loop-model") and for real in this browser's engine ("js-real"), and
// both must print what Node printed (tests/loop-corpus/js/expected.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();
const CORPUS = join(import.meta.dirname, "..", "..", "loop-corpus", "js");
const expected = JSON.parse(readFileSync(join(CORPUS, "expected.json"), "utf8"));

async function openLab() {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("event-loop");
  return lab;
}

test("every corpus program: the model, the browser's engine and Node print the same lines", async () => {
  const lab = await openLab();
  const files = readdirSync(CORPUS).filter((f) => f.endsWith(".js")).sort();
  assert.ok(files.length >= 25, `${files.length} programs`);
  assert.deepEqual(files, Object.keys(expected.programs).sort(), "expected.json covers every program");
  const differences = [];
  for (const file of files) {
    const source = readFileSync(join(CORPUS, file), "utf8");
    const want = expected.programs[file];
    const model = await lab.consoleRun("loop-model", { language: "js", source });
    const real = await lab.consoleRun("js-real", { source, timeout_ms: 5000 });
    assert.equal(model.outcome, "finished", `${file}: ${model.detail}`);
    assert.equal(real.timed_out, false, file);
    for (const [who, got] of [["model", model], ["engine", real]]) {
      if (JSON.stringify([got.output, got.unhandled]) !== JSON.stringify([want.output, want.unhandled])) {
        differences.push(`${file} (${who}): ${JSON.stringify([got.output, got.unhandled])} vs ${JSON.stringify([want.output, want.unhandled])}`);
      }
    }
  }
  assert.deepEqual(differences, []);
  lab.assertNoProblems();
});

test("the editor steps a program through the queues, runs it for real, and shares it by link", async () => {
  const lab = await openLab();
  const page = lab.page;
  const source = [
    "async function f() {",
    "  console.log('f starts');",
    "  await null;",
    "  console.log('f resumes');",
    "}",
    "setTimeout(() => console.log('timer'), 20);",
    "f();",
    "console.log('script ends');",
  ].join("\n");
  await page.fill("[data-testid=own-source]", source);
  const now = () => lab.text("own-now");
  const items = (id) => page.locator(`[data-testid=${id}] li`).allTextContents();
  // Step until f is suspended: the stack is back to the script, a resume job is queued.
  for (let i = 0; i < 30 && !/awaits promise/.test(await now()); i++) await page.click("[data-testid=own-step]");
  assert.match(await now(), /f awaits promise #\d+ and steps off the stack/);
  assert.deepEqual(await items("own-stack"), ["script"]);
  assert.deepEqual(await items("own-microtasks"), [await items("own-microtasks").then((m) => m[0])]);
  assert.match((await items("own-microtasks"))[0], /^resume f/);
  assert.deepEqual(await items("own-timers"), ["timer 1: (anonymous) at 20 ms"]);
  assert.deepEqual(await items("own-waiting"), [(await items("own-waiting"))[0]]);
  assert.deepEqual(await items("own-output"), ["f starts"]);
  assert.equal(await page.locator("[data-testid=listing-own-code] li.current").count(), 1);
  await page.click("[data-testid=own-end]");
  assert.deepEqual(await items("own-output"), ["f starts", "script ends", "f resumes", "timer"]);
  assert.match(await now(), /20 ms/);
  assert.equal(await page.isDisabled("[data-testid=own-step]"), true, "finished");

  await page.click("[data-testid=own-real]");
  await page.waitForFunction(() => /agree|differ|stopped/.test(document.querySelector("[data-testid=own-verdict]")?.textContent || ""), null, { timeout: 20000 });
  assert.equal(await lab.text("own-verdict"), "The model and the engine agree on all 4 lines.");
  assert.equal(await page.locator("[data-testid=own-compare] tbody tr").count(), 4);

  // Outside the subset: the line, the column and the construct, in the page and the console.
  await page.fill("[data-testid=own-source]", "let a = 1;\nclass B {}");
  await page.click("[data-testid=own-step]");
  assert.equal(await lab.text("own-error"), "line 2, column 1: classes are not in the subset; use an object literal with methods");
  assert.match(await lab.consoleError("loop-model", { source: "for (const x of [1]) {}" }), /^line 1, column 14: for … of/);
  assert.match(await lab.consoleError("js-real", { source: "let x = ;" }), /^line 1, column \d+: .*SyntaxError/);
  assert.match(await lab.consoleError("js-real", { source: "1", timeout_ms: 99 }), /timeout_ms must be an integer between 100 and 30000/);
  // An endless loop: the model stops at its budget, the real run at its time limit.
  const model = await lab.consoleRun("loop-model", { source: "while (true) {}" });
  assert.equal(model.outcome, "error");
  assert.match(model.detail, /endless loop/);
  const real = await lab.consoleRun("js-real", { source: "console.log('before'); while (true) {}", timeout_ms: 300 });
  assert.deepEqual([real.timed_out, real.output], [true, []]);

  // The link carries the program: a fresh page opens with it in the editor.
  await page.selectOption("[data-testid=own-example]", { label: "let in loops" });
  const link = await page.locator("[data-testid=part-own-code] .copy pre").textContent();
  assert.match(link, /#\/event-loop\?js=/);
  const other = await openPage(site.browser);
  await other.goto(link);
  await other.waitForSelector("[data-testid=own-source]");
  assert.equal(await other.inputValue("[data-testid=own-source]"), readFileSync(join(CORPUS, "23-let-in-loops.js"), "utf8"));
  await other.close();
  await page.locator("[data-testid=part-own-code]").screenshot({ path: join(ARTIFACTS, "loop-own-code.png") });
  lab.assertNoProblems();
});

test("Python: the wasm model prints what CPython printed for every corpus program, and the editor steps asyncio's queues", async () => {
  const lab = await openLab();
  const page = lab.page;
  const dir = join(import.meta.dirname, "..", "..", "loop-corpus", "python");
  const recorded = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
  assert.match(recorded.engine, /^CPython 3\.11/);
  const files = readdirSync(dir).filter((f) => f.endsWith(".py")).sort();
  assert.ok(files.length >= 20, `${files.length} programs`);
  for (const file of files) {
    const run = await lab.consoleRun("loop-model", { language: "python", source: readFileSync(join(dir, file), "utf8") });
    const want = recorded.programs[file];
    assert.deepEqual([run.output, run.exception], [want.output, want.exception], file);
  }

  await page.selectOption("[data-testid=own-language]", "py");
  await page.selectOption("[data-testid=own-example]", { label: "done callbacks" });
  const items = (id) => page.locator(`[data-testid=${id}] li`).allTextContents();
  // Step until set_result has queued both callbacks behind the call_soon.
  for (let i = 0; i < 200 && !/callback\(s\) join the ready queue/.test(await lab.text("own-now")); i++) {
    await page.click("[data-testid=own-step]");
  }
  assert.match(await lab.text("own-now"), /future #\d+ done with 'ready': 2 callback\(s\) join the ready queue/);
  const ready = await items("own-ready");
  assert.equal(ready.length, 3, ready.join(" | "));
  assert.match(ready[0], /<lambda>/);
  assert.deepEqual((await items("own-tasks")).map((t) => t.replace(/:.*/, "")), ["Task-1"]);
  await page.click("[data-testid=own-end]");
  assert.deepEqual(await items("own-output"), recorded.programs["07-done-callbacks.py"].output);
  assert.equal(await page.locator("[data-testid=own-real]").count(), 0, "no real CPython in the page");
  const link = await page.locator("[data-testid=part-own-code] .copy pre").textContent();
  assert.match(link, /#\/event-loop\?py=/);

  // The presets' listings, each run by its own model: js-order's Python column in asyncio's order.
  await page.selectOption("[data-testid=model-preset]", "js-order");
  const own = await lab.text("model-own-runs");
  assert.match(own, /Python model: script start · script end · promise1 · setTimeout · promise2/);
  assert.match(own, /JavaScript model: script start · script end · promise1 · promise2 · setTimeout/);
  // "Step it in part 4": the Python listing, stepped in the Python model, ends in asyncio's order.
  await page.click("[data-testid=step-own-py]");
  await page.waitForFunction(() => /new_event_loop/.test(document.querySelector("[data-testid=own-source]").value));
  assert.equal(await page.inputValue("[data-testid=own-language]"), "py");
  await page.click("[data-testid=own-end]");
  assert.deepEqual(await items("own-output"), ["script start", "script end", "promise1", "setTimeout", "promise2"]);
  assert.match(await lab.consoleError("loop-model", { language: "python", source: "import os" }), /^line 1, column 1: import os: only asyncio and time/);
  lab.assertNoProblems();
});

test("one thread still races across an await: the lock examples lose updates without a lock, in both languages", async () => {
  const lab = await openLab();
  const page = lab.page;
  const items = (id) => page.locator(`[data-testid=${id}] li`).allTextContents();
  const balances = async () => (await items("own-output")).filter((l) => l.startsWith("balance"));
  const pyDir = join(import.meta.dirname, "..", "..", "loop-corpus", "python");
  const cpython = JSON.parse(readFileSync(join(pyDir, "expected.json"), "utf8")).programs["26-lock-across-await.py"];

  // JavaScript: the model to the end, then this browser's engine on the same source.
  await page.selectOption("[data-testid=own-example]", { label: "one thread, still a race across an await" });
  await page.click("[data-testid=own-end]");
  assert.deepEqual(await balances(), ["balance 40 of 40", "balance 20 of 40", "balance 40 of 40"]);
  assert.deepEqual(await items("own-output"), expected.programs["31-lock-across-await.js"].output);
  const output = await items("own-output");
  // Both read 0 before either writes: the second write overwrites the first deposit.
  assert.deepEqual(output.slice(7, 11), ["a reads 0", "b reads 0", "a writes 10", "a reads 10"]);
  await page.click("[data-testid=own-real]");
  await page.waitForFunction(() => /agree|differ|stopped/.test(document.querySelector("[data-testid=own-verdict]")?.textContent || ""), null, { timeout: 20000 });
  assert.equal(await lab.text("own-verdict"), "The model and the engine agree on all 22 lines.");

  // Python: the asyncio model prints what CPython 3.11 printed, lock hand-over order included.
  await page.selectOption("[data-testid=own-language]", "py");
  await page.selectOption("[data-testid=own-example]", { label: "no lock needed? not across an await" });
  await page.click("[data-testid=own-end]");
  assert.deepEqual(await items("own-output"), cpython.output);
  assert.deepEqual(await balances(), ["balance 40 of 40", "balance 20 of 40", "balance 40 of 40"]);
  assert.deepEqual((await items("own-output")).slice(-5, -1),
    ["a writes 10 holding the lock", "b writes 20 holding the lock", "a writes 30 holding the lock", "b writes 40 holding the lock"]);
  lab.assertNoProblems();
});

test("the task diagram follows every asyncio task through pending, finished and cancelled, as CPython's repr names them", async () => {
  const lab = await openLab();
  const page = lab.page;
  const items = (id) => page.locator(`[data-testid=${id}] li`).allTextContents();
  const pyDir = join(import.meta.dirname, "..", "..", "loop-corpus", "python");
  const cpython = JSON.parse(readFileSync(join(pyDir, "expected.json"), "utf8")).programs["27-task-states.py"];
  // CPython 3.11 says "cancelling" between cancel() and the end; the model's repr does too.
  assert.ok(cpython.output.includes("b, cancel asked: cancelling False"), cpython.output.join(" | "));

  await page.selectOption("[data-testid=own-language]", "py");
  await page.selectOption("[data-testid=own-example]", { label: "a task's life: pending, finished, cancelled" });
  const diagram = "[data-testid=own-task-diagram]";
  const counts = () => page.$$eval(`${diagram} .node`, (nodes) =>
    Object.fromEntries(nodes.map((n) => [n.dataset.state, Number(n.dataset.count)])));
  const arrows = () => page.$$eval(`${diagram} .arrow`, (gs) =>
    Object.fromEntries(gs.map((g) => [`${g.dataset.from}>${g.dataset.to}`, Number(g.querySelector(".count").textContent)])));
  // Before the first step: no task yet, every arrow at 0 and drawn as unseen.
  assert.deepEqual(Object.values(await counts()), [0, 0, 0, 0, 0, 0, 0]);
  assert.equal(await page.locator(`${diagram} .arrow.unseen`).count(), 8);
  // Step until main has printed "all started": main runs, a and b wait in their sleeps, c is ready.
  for (let i = 0; i < 400 && !(await items("own-output")).some((l) => l.startsWith("all started")); i++) {
    await page.click("[data-testid=own-step]");
  }
  assert.deepEqual(await counts(), { created: 0, ready: 1, running: 1, waiting: 2, done: 0, failed: 0, cancelled: 0 });
  assert.equal(await page.locator(`${diagram} .node.waiting title`).textContent(), "Task-2, Task-3");
  await page.click("[data-testid=own-end]");
  assert.deepEqual(await items("own-output"), cpython.output);
  // main, a and asyncio.run's two clean-up tasks done; b cancelled; c raised.
  assert.deepEqual(await counts(), { created: 0, ready: 0, running: 0, waiting: 0, done: 4, failed: 1, cancelled: 1 });
  assert.deepEqual(await arrows(), {
    "created>ready": 6, "ready>running": 12, "running>ready": 2, "running>waiting": 4,
    "waiting>ready": 4, "running>done": 4, "running>failed": 1, "running>cancelled": 1,
  });
  assert.match(await page.locator(`${diagram} figcaption`).textContent(), /repr\(task\)/);
  await page.locator(diagram).screenshot({ path: join(ARTIFACTS, "task-diagram.png") });
  lab.assertNoProblems();
});
