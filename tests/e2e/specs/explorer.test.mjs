// End-to-end: the interleaving explorer, through the page and through window.lab.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { serve } from "../serve.mjs";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite, DIST, assertNear } from "../harness.mjs";
import { ExplorerPage } from "../pages.mjs";

const site = useSite();

/**
 * Replays a witness of a program whose threads only do `v = v + n` statements, each two
 * atomic steps (load v into the thread's temporary, then store temporary + n), and returns
 * the final value. `threads[i]` lists thread i's amounts, e.g. [[5, -5], [8, -8]] for
 * the `balance` preset. Fails unless the witness runs every step of every thread once.
 */
function replayLoadStore(threads, witness) {
  let shared = 0;
  const pc = threads.map(() => 0);
  const tmp = threads.map(() => 0);
  for (const t of witness) {
    assert.ok(t >= 0 && t < threads.length && pc[t] < 2 * threads[t].length, `bad step t${t + 1} in ${witness}`);
    if (pc[t] % 2 === 0) tmp[t] = shared;
    else shared = tmp[t] + threads[t][(pc[t] - 1) / 2];
    pc[t] += 1;
  }
  assert.deepEqual(pc, threads.map((amounts) => 2 * amounts.length), `incomplete witness ${witness}`);
  return shared;
}

/** Asserts the exact final values with their schedule counts, and that each witness reaches its value. */
function assertEndings(r, variable, threads, counts) {
  const endings = r.final_states.map((f) => [f.shared[variable], f.schedules]).sort((a, b) => a[0] - b[0]);
  assert.deepEqual(endings, Object.entries(counts).map(([v, n]) => [Number(v), n]).sort((a, b) => a[0] - b[0]));
  for (const f of r.final_states) {
    assert.deepEqual(Object.keys(f.shared), [variable]);
    assert.equal(replayLoadStore(threads, f.witness), f.shared[variable], `witness ${f.witness}`);
  }
  assert.equal(r.total_schedules, Object.values(counts).reduce((a, b) => a + b, 0));
}

async function openExplorer() {
  const lab = new ExplorerPage(await openPage(site.browser), site.server.url);
  await lab.open();
  return lab;
}

test("exploring `balance` lists every ending with exact counts, and the -8 witness replays in step mode", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  await lab.pickPreset("balance");
  await lab.explore();
  const finals = await lab.finalStates();
  assert.deepEqual(finals.map((f) => f.value),
    ["balance = -8", "balance = -5", "balance = -3", "balance = 0", "balance = 3", "balance = 5", "balance = 8"]);
  assert.deepEqual(finals.find((f) => f.value === "balance = -8").count, "8 of 70 schedules reach it");
  assert.deepEqual(finals.find((f) => f.value === "balance = 0").count, "30 of 70 schedules reach it");
  // The preset's assert says 0 is right: every other ending is marked wrong, and the failed
  // check is counted like an ending (70 − 30 schedules).
  const marks = await lab.page.$$eval("[data-testid=final-state]", (items) =>
    items.map((li) => [li.querySelector("[data-testid=final-value]").textContent, li.classList.contains("wrong")]));
  assert.deepEqual(marks.filter(([, wrong]) => !wrong).map(([v]) => v), ["balance = 0"]);
  assert.equal(marks.filter(([, wrong]) => wrong).length, 6);
  assert.equal(await lab.text("final-right"), "✓ as expected");
  assert.equal(await lab.page.locator("[data-testid=assertion-failure] [data-testid=problem-count]").innerText(), "40 of 70 schedules reach it");
  assert.match(await lab.text("explore-summary"), /with reduction in [\d.]+ ms on a worker thread/);
  // The words the summary uses are explained beside it.
  assert.match(await lab.text("explore-words"), /^A state is one snapshot .* states\/s counts .* Reduction skips schedules/);
  assert.match(await lab.text("explore-summary"), /Every schedule one by one: 70 schedules, 251 states/);

  await lab.replayFinalState("balance = -8");
  assert.match(await lab.text("step-notice"), /Loaded a schedule of 8 steps/);
  assert.equal(await lab.shared("balance"), 0, "the replay starts at the initial state");
  assert.equal(await lab.text("position"), "step 0 of 8");
  await lab.jumpToEnd();
  assert.equal(await lab.shared("balance"), -8);
  assert.equal(await lab.text("step-outcome"), "Finished, but a check failed: balance = -8; after all threads: assert balance == 0 failed: every deposit was withdrawn again");
  // Some store overwrites the other thread's update, and step mode marks it.
  assert.match(await lab.text("last-step"), /^Step 8: t\d: store balance ← -8( — lost update: t\d stored balance after t\d loaded it, and this overwrites it)?$/);
  assert.ok((await lab.page.locator("[data-testid=step-log] li.lost-update").count()) >= 1);
  assert.equal(await lab.canStep(0), false);
  assert.equal(await lab.canStep(1), false);
  await lab.page.screenshot({ path: join(ARTIFACTS, "explorer.png"), fullPage: true });
  lab.assertNoProblems();
});

test("step mode: the notes' interleaving by hand, with undo and redo, reaches balance = -8", async () => {
  const lab = await openExplorer();
  await lab.pickPreset("balance");
  assert.match(await lab.text("last-step"), /No step yet/);
  await lab.step(0);
  assert.equal(await lab.text("last-step"), "Step 1: t1: load balance → tmp (0)");
  const currentLine = await lab.page.textContent("[data-testid=thread-0] .code-line.current .line-number");
  assert.equal(currentLine.trim(), "8", "t1 is still on line 8: the store is next");
  await lab.step(1);
  await lab.step(1);
  assert.equal(await lab.text("last-step"), "Step 3: t2: store balance ← 8");
  assert.equal(await lab.shared("balance"), 8);
  await lab.step(0);
  assert.equal(await lab.text("last-step"),
    "Step 4: t1: store balance ← 5 — lost update: t2 stored balance after t1 loaded it, and this overwrites it");
  assert.equal(await lab.shared("balance"), 5, "t1 wrote over t2's deposit");

  await lab.undo();
  assert.equal(await lab.shared("balance"), 8);
  assert.equal(await lab.text("position"), "step 3 of 4");
  await lab.redo();
  assert.equal(await lab.shared("balance"), 5);

  // The rest of the schedule from the keyboard: the thread buttons are real buttons.
  for (const thread of [0, 0, 1, 1]) {
    await lab.page.focus(`[data-testid=step-${thread}]`);
    await lab.page.keyboard.press("Enter");
  }
  assert.equal(await lab.shared("balance"), -8);
  assert.equal(await lab.text("step-outcome"), "Finished, but a check failed: balance = -8; after all threads: assert balance == 0 failed: every deposit was withdrawn again");
  assert.equal(await lab.text("status-0"), "finished");
  const steps = await lab.page.$$eval("[data-testid=step-log] li", (items) => items.map((li) => li.textContent.trim()));
  assert.equal(steps.length, 8);
  assert.equal(steps[7], "t2: store balance ← -8");
  // Clicking a step in the list goes back to it.
  await lab.page.click("[data-testid=step-log] li:nth-child(4) button");
  assert.equal(await lab.shared("balance"), 5);
  // The schedule as text, and typed back in: the notes' interleaving is replayable.
  assert.equal(await lab.page.inputValue("[data-testid=schedule-input]"), "t1 t2 t2 t1 t1 t1 t2 t2");
  await lab.loadSchedule("t1 t2 t2 t1 t1 t1 t2 t2");
  assert.equal(await lab.text("position"), "step 0 of 8");
  await lab.jumpToEnd();
  assert.equal(await lab.shared("balance"), -8);
  await lab.loadSchedule("t1 t3");
  assert.equal(await lab.text("schedule-error"), "step 2: no thread 't3'; the threads are t1, t2 (or 0 to 1)");
  lab.assertNoProblems();
});

test("a syntax error shows its line and column as you type, and a preset fixes it", async () => {
  const lab = await openExplorer();
  await lab.typeProgram("shared x = 0\nthread t {\n  x = = 1\n}\n");
  assert.match(await lab.text("parse-error"), /^Line 3, column 7: expected a value/);
  assert.equal(await lab.page.getAttribute("[data-testid=source]", "aria-invalid"), "true");
  assert.equal(await lab.page.isEnabled("[data-testid=explore]"), false);
  // Step mode keeps the last program that parsed.
  assert.equal(await lab.shared("balance"), 0);
  await lab.typeProgram("shared x = 0\nthread t {\n  x = x + 1\n}\n");
  assert.match(await lab.text("parse-ok"), /parsed: 1 thread$/);
  assert.equal(await lab.shared("x"), 0);
  await lab.step(0);
  await lab.step(0);
  assert.equal(await lab.shared("x"), 1);
  lab.assertNoProblems();
});

test("deadlock-ab-ba: explore reports the deadlock and its replay ends with both threads blocked", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  await lab.pickPreset("deadlock-ab-ba");
  await lab.explore();
  const deadlocks = await lab.page.$$eval("[data-testid=deadlock] .message", (items) => items.map((m) => m.textContent));
  assert.deepEqual(deadlocks, ["t1 waits for lock b (held by t2); t2 waits for lock a (held by t1)"]);
  // Deadlocks are counted like endings: 4 of the 6 schedules finish, 2 deadlock.
  assert.deepEqual((await lab.finalStates()).map((f) => f.count), ["4 of 6 schedules reach it"]);
  assert.equal(await lab.page.locator("[data-testid=deadlock] [data-testid=problem-count]").innerText(), "2 of 6 schedules reach it");
  await lab.replayDeadlock();
  await lab.jumpToEnd();
  assert.match(await lab.text("step-outcome"), /^Deadlock: t1 waits for lock b \(held by t2\)/);
  assert.equal(await lab.text("status-0"), "blocked: lock b (held by t2)");
  assert.equal(await lab.text("lock-a"), "lock a: held by t1");
  lab.assertNoProblems();
});

test("window.lab.run('explore') finds -8 with its witness, counts schedules and reports deadlocks", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  const r = await lab.consoleRun("explore", { preset: "balance" });
  assert.deepEqual([r.mode, r.ran_on, r.budget, r.limit_reached, r.counts_exact, r.counts_note],
    ["exhaustive", "worker", 1000000, null, true, null]);
  assert.deepEqual(r.threads, ["t1", "t2"]);
  assert.deepEqual([r.deadlocks, r.errors], [[], []]);
  assert.deepEqual(r.assertion_failures.map((a) => [a.message, a.schedules]), [["after all threads: assert balance == 0 failed: every deposit was withdrawn again", 40]]);
  assert.deepEqual(r.final_states.filter((f) => f.failed_checks.length === 0).map((f) => f.shared.balance), [0]);
  // Every ending, with the exact number of the 70 schedules that reach it; every witness replays.
  assertEndings(r, "balance", [[5, -5], [8, -8]], { "-8": 8, "-5": 8, "-3": 4, 0: 30, 3: 4, 5: 8, 8: 8 });
  assert.equal(r.total_schedules, 70);
  assert.equal(r.final_states.find((f) => f.shared.balance === -8).witness.length, 8);
  // The reduced search needed fewer states than listing all 70 schedules one by one (251).
  assert.deepEqual([r.unreduced.schedules, r.unreduced.states, r.unreduced.limit_reached], [70, 251, null]);
  assert.ok(r.states < r.unreduced.states, `reduced ${r.states} vs ${r.unreduced.states}`);
  assert.ok(r.ms > 0 ? Math.abs(r.states_per_s - (r.states / r.ms) * 1000) <= 1e-9 * r.states_per_s : r.states_per_s === null,
    `states_per_s ${r.states_per_s} for ${r.states} states in ${r.ms} ms`);

  const dead = await lab.consoleRun("explore", { preset: "deadlock-ab-ba", mode: "random", schedules: 200, seed: 7 });
  assert.deepEqual(dead.deadlocks.map((d) => d.description), ["t1 waits for lock b (held by t2); t2 waits for lock a (held by t1)"]);
  // The only way in: each thread takes its first lock, one step each, in either order.
  assert.deepEqual([...dead.deadlocks[0].witness].sort(), [0, 1]);
  assert.deepEqual([dead.mode, dead.schedules, dead.counts_exact, dead.total_schedules], ["random", 200, false, null]);
  assert.equal(dead.counts_note, "counts not available: random mode does not try every schedule");

  const inline = await lab.consoleRun("explore", {
    program: "shared x = 0\nthread a { x = x + 1 }\nthread b { x = x + 1 }\nassert x == 2, \"lost update\"",
    mode: "count",
  });
  assert.deepEqual(inline.threads, ["a", "b"]);
  assertEndings(inline, "x", [[1], [1]], { 1: 4, 2: 2 });
  assert.deepEqual(inline.assertion_failures.map((a) => a.message), ["after all threads: assert x == 2 failed: lost update"]);
  // Its witness is a schedule that loses the update.
  assert.equal(replayLoadStore([[1], [1]], inline.assertion_failures[0].witness), 1);
  assert.deepEqual([inline.mode, inline.unreduced], ["count", null]);
  const experiments = await lab.page.evaluate(() => window.lab.labs());
  assert.ok(experiments.includes("explore"), `explore missing from ${experiments}`);
  lab.assertNoProblems();
});

test("three threads racing on one balance end in exactly 17 ways over 34 650 schedules", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  const r = await lab.consoleRun("explore", { preset: "balance-3" });
  assert.deepEqual(r.threads, ["t1", "t2", "t3"]);
  assert.deepEqual([r.limit_reached, r.counts_exact, r.deadlocks, r.errors], [null, true, [], []]);
  assert.deepEqual(r.assertion_failures.map((a) => [a.message, a.schedules]), [["after all threads: assert balance == 0 failed: every deposit was withdrawn again", 34650 - 9374]]);
  // Each of ±5, ±8, ±13 may be lost or kept as the interleavings allow: 12! / (4!)^3
  // schedules. Counts from enumerating every schedule of the load/store steps.
  assertEndings(r, "balance", [[5, -5], [8, -8], [13, -13]], {
    "-21": 416, "-18": 416, "-16": 464, "-13": 2672, "-10": 464, "-8": 3430, "-5": 3430, "-3": 1174,
    0: 9374, 3: 1174, 5: 3502, 8: 3502, 10: 492, 13: 2768, 16: 492, 18: 440, 21: 440,
  });
  assert.deepEqual(r.final_states.map((f) => f.shared.balance).sort((a, b) => a - b),
    [-21, -18, -16, -13, -10, -8, -5, -3, 0, 3, 5, 8, 10, 13, 16, 18, 21]);
  assert.equal(r.total_schedules, 34650);
  assert.deepEqual([r.unreduced.schedules, r.unreduced.states], [34650, 110251]);
  assert.ok(r.states * 10 <= r.unreduced.states, `reduction: ${r.states} vs ${r.unreduced.states} states`);
  lab.assertNoProblems();
});

test("bad parameters and programs reject with messages that name the field and its range", async () => {
  const lab = await openExplorer();
  const error = (params) => lab.consoleError("explore", params);
  assert.equal(await error({ preset: "nope" }),
    "unknown preset 'nope'; presets are: balance, balance-lock, balance-3, deadlock-ab-ba, rlock, lost-wakeup, semaphore, producer-consumer, check-then-act, cas-counter, fetch-add, spin-lock, aba-stack, store-buffering");
  assert.equal(await error({ budget: 5 }), "explore: budget must be an integer between 100 and 1000000 (got 5)");
  assert.equal(await error({ budget: 1000.5 }), "explore: budget must be an integer between 100 and 1000000 (got 1000.5)");
  assert.equal(await error({ mode: "all" }), 'explore: mode must be one of exhaustive, count, dpor, tso, bounded, random (got "all")');
  assert.equal(await error({ presets: "balance" }),
    "explore: unknown parameter 'presets'; parameters are: program, preset, mode, budget, preemptions, schedules, seed, max_steps");
  assert.equal(await error({ preset: 7 }), "explore: preset must be a text of at most 64 characters (got 7)");
  assert.match(await error({ program: "shared x = 0\nthread t { x = = 1 }" }), /^explore: line 2, column 16: /);
  assert.equal(await error({ preset: "balance", program: "thread t { pass }" }), "give either program or preset, not both");
  assert.equal(await error({ mode: "random", schedules: 0 }), "explore: schedules must be an integer between 1 and 100000 (got 0)");
  assert.equal(await error({ preemptions: 11 }), "explore: preemptions must be an integer between 0 and 10 (got 11)");
  // The form validates with the same range.
  await lab.setBudget("lots");
  await lab.startExplore();
  assert.equal(await lab.text("explore-error"), "budget must be a whole number from 100 to 1000000");
  await lab.setBudget("50");
  await lab.startExplore();
  assert.equal(await lab.text("explore-error"), "budget must be between 100 and 1000000 (got 50)");
  lab.assertNoProblems();
});

test("a long search shows progress, can be cancelled, and says what it covered", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  await lab.typeProgram([
    "shared x = 0", "shared y = 0",
    "thread a { repeat 1000 { x = x + 1; y = y + x } }",
    "thread b { repeat 1000 { y = y + 1; x = x + y } }",
    "thread c { repeat 1000 { x = x - y } }",
  ].join("\n"));
  await lab.startExplore();
  await lab.page.waitForSelector(".explore-panel .progress");
  await lab.page.waitForTimeout(400);
  await lab.page.click("[data-testid=explore-cancel]");
  await lab.waitExploreIdle();
  assert.match(await lab.text("limit"), /^Incomplete: cancelled after \d+ states; results are incomplete/);
  // The page still works: a small search afterwards completes.
  await lab.pickPreset("balance-lock");
  await lab.explore();
  assert.deepEqual((await lab.finalStates()).map((f) => f.value), ["balance = 0"]);
  lab.assertNoProblems();
});

test("without cross-origin isolation the search runs on the main thread with a reduced budget", async () => {
  const plain = await serve(DIST, { isolate: false });
  try {
    // The site's service worker would isolate the page (hosting.test.mjs): block it.
    const lab = new ExplorerPage(await openPage(site.browser, { serviceWorkers: "block" }), plain.url);
    await lab.open();
    const r = await lab.page.evaluate(() => window.lab.run("explore", { preset: "balance" }));
    assert.equal(r.ran_on, "main-thread (budget reduced)");
    assert.equal(r.budget, 20000);
    assert.ok(r.final_states.some((f) => f.shared.balance === -8));
    await lab.explore();
    assert.match(await lab.text("explore-summary"), /on the page's main thread with the budget reduced to 20\u202f000 states/);
    lab.assertNoProblems();
  } finally {
    await plain.close();
  }
});

test("atomics: compare-and-swap and fetch_add lose no update; a swap spin lock lets one thread in at a time", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  const cas = await lab.consoleRun("explore", { preset: "cas-counter" });
  assert.deepEqual(cas.final_states.map((f) => f.shared.balance), [13]);
  assert.deepEqual([cas.assertion_failures, cas.deadlocks, cas.limit_reached], [[], [], null]);
  const adds = await lab.consoleRun("explore", { preset: "fetch-add" });
  assert.deepEqual(adds.final_states.map((f) => f.shared.hits), [3]);
  const spin = await lab.consoleRun("explore", { preset: "spin-lock" });
  assert.deepEqual([spin.assertion_failures, spin.deadlocks], [[], []]);
  assert.deepEqual(spin.final_states.map((f) => [f.shared.flag, f.shared.inside]), [[0, 0]]);
  const bad = await lab.consoleError("explore", { program: "shared x = 0\nshared y = 0\nthread t {\n    r = cas(x, y, 1)\n}\n" });
  assert.match(bad, /^explore: line 4, column \d+: cas's values may read only thread-local variables/);
  lab.assertNoProblems();
});

const SB = "shared x = 0\nshared y = 0\nshared r0 = 0\nshared r1 = 0\nthread t0 {\n    x = 1\n    r0 = y\n}\nthread t1 {\n    y = 1\n    r1 = x\n}\n";
const registers = (r) => r.final_states.map((f) => `${f.shared.r0},${f.shared.r1}`).sort();

test("dpor explores one schedule per trace; tso lets store buffering end in r0 = r1 = 0, and fences take it away", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  const dpor = await lab.consoleRun("explore", { program: SB, mode: "dpor" });
  // Store buffering has 3 Mazurkiewicz traces (20 schedules: each `rK = v` is a load and a
  // store of the register); DPOR runs one of each.
  assert.deepEqual([dpor.mode, dpor.schedules, dpor.traces, dpor.sleep_blocked, dpor.limit_reached], ["dpor", 3, 3, 0, null]);
  assert.deepEqual(registers(dpor), ["0,1", "1,0", "1,1"]);
  const count = await lab.consoleRun("explore", { program: SB, mode: "count" });
  assert.equal(count.total_schedules, 20);
  assert.deepEqual([count.traces, count.sleep_blocked], [null, null]);
  const three = await lab.consoleRun("explore", { preset: "balance-3", mode: "dpor" });
  assert.equal(three.final_states.length, 17);
  assert.equal(three.traces, 7134);

  const tso = await lab.consoleRun("explore", { preset: "store-buffering", mode: "tso" });
  assert.deepEqual(registers(tso), ["0,0", "0,1", "1,0", "1,1"]);
  assert.match(tso.memory_model, /^x86-TSO: each thread's stores wait in a FIFO store buffer/);
  // The weak witness: both stores wait in buffers (8 + t drains thread t's oldest store).
  const weak = tso.final_states.find((f) => f.shared.r0 === 0 && f.shared.r1 === 0).witness;
  assert.ok(weak.includes(8) && weak.includes(9), `drains in ${weak}`);
  const fenced = SB.replace("x = 1\n", "x = 1\n    fence\n").replace("y = 1\n", "y = 1\n    fence\n");
  assert.deepEqual(registers(await lab.consoleRun("explore", { program: fenced, mode: "tso" })), ["0,1", "1,0", "1,1"]);
  const aba = await lab.consoleRun("explore", { preset: "aba-stack" });
  assert.deepEqual(aba.assertion_failures.map((a) => a.message),
    ["after all threads: assert not (top == 2 and taken2 == 1) failed: ABA: top is node 2, which t2 popped"]);

  // The page: mode tso on the preset shows the weak ending and its steps with the buffers.
  await lab.pickPreset("store-buffering");
  await lab.setMode("tso");
  await lab.explore();
  const values = (await lab.finalStates()).map((f) => f.value);
  assert.ok(values.includes("r0 = 0, r1 = 0, x = 1, y = 1"), values.join(" | "));
  const witness = lab.page.locator("[data-testid=final-state]", { hasText: "r0 = 0, r1 = 0" }).locator("[data-testid=tso-witness]");
  await witness.locator("summary").click();
  const steps = await witness.locator("[data-testid=tso-step]").allInnerTexts();
  assert.match(steps[0], /^1\. t0: store x ← 1 \(into t0's store buffer\)\s+buffers t0: \[x = 1\] t1: \[empty\]/);
  assert.ok(steps.some((s) => /t0's store buffer: x = 1 reaches memory/.test(s)), steps.join("\n"));
  assert.match(await lab.text("memory-model"), /fence, atomics and lock operations drain the buffer first/);
  await lab.setMode("dpor");
  await lab.explore();
  assert.match(await lab.text("dpor-traces"), /^3 Mazurkiewicz traces \(orders of the conflicting steps\), one schedule each; 0 paths/);
  await lab.page.screenshot({ path: join(ARTIFACTS, "explorer-tso.png"), fullPage: true });
  lab.assertNoProblems();
});

test("litmus tests on real threads: this x86 machine shows store buffering, never message passing's weak outcome, and nothing weak with atomics", async () => {
  const lab = await openExplorer();
  await lab.waitForPool();
  const sb = await lab.consoleRun("litmus-hw", { test: "SB", iterations: 1000000 });
  const total = (r) => Object.values(r.counts).reduce((a, b) => a + b, 0);
  assert.deepEqual([sb.test, sb.runs, total(sb), sb.cancelled, sb.fence], ["SB", 1000000, 1000000, false, false]);
  assert.deepEqual(sb.allowed_sc, ["r0=0,r1=1", "r0=1,r1=0", "r0=1,r1=1"]);
  assert.deepEqual(sb.allowed_tso, ["r0=0,r1=0", "r0=0,r1=1", "r0=1,r1=0", "r0=1,r1=1"]);
  assert.ok(sb.counts["r0=0,r1=0"] > 0, `no store buffering seen: ${JSON.stringify(sb.counts)}`);
  assert.match(sb.verdict, /^like x86-TSO: saw r0=0,r1=0, which sequential consistency forbids/);
  assert.ok(Math.abs(sb.runs_per_s - sb.runs / sb.ms * 1000) < 1e-6 * sb.runs_per_s);
  const fenced = await lab.consoleRun("litmus-hw", { test: "SB", iterations: 1000000, fence: true });
  assert.equal(total(fenced), 1000000);
  assert.equal(fenced.counts["r0=0,r1=0"], undefined, JSON.stringify(fenced.counts));
  assert.deepEqual(fenced.allowed_tso, ["r0=0,r1=1", "r0=1,r1=0", "r0=1,r1=1"]);
  const mp = await lab.consoleRun("litmus-hw", { test: "MP", iterations: 1000000 });
  assert.equal(total(mp), 1000000);
  assert.equal(mp.counts["r0=1,r1=0"], undefined, JSON.stringify(mp.counts));
  assert.equal(await lab.consoleError("litmus-hw", { test: "XX" }),
    'litmus-hw: test must be one of SB, MP, LB, WRC, ISA2, RWC, SB3, IRIW (got "XX")');
  assert.equal(await lab.consoleError("litmus-hw", { iterations: 10 }),
    "litmus-hw: iterations must be an integer between 1000 and 10000000 (got 10)");
  // IRIW: four workers on however many cores; the counts add up.
  const iriw = await lab.consoleRun("litmus-hw", { test: "IRIW", iterations: 20000 });
  assert.equal(total(iriw), 20000);
  assert.equal(iriw.counts["r0=1,r1=0,r2=1,r3=0"], undefined);

  // The page: the same run from the form, its verdict and table.
  await lab.page.selectOption("[data-testid=litmus-test]", "SB");
  await lab.page.fill("[data-testid=litmus-iterations]", "300000");
  await lab.page.click("[data-testid=litmus-hw] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=litmus-verdict]", { timeout: 60000 });
  assert.match(await lab.text("litmus-verdict"), /^SB on 300000 runs: your CPU behaved like x86-TSO/);
  const weakRow = lab.page.locator("[data-testid=litmus-table] tr[data-outcome='r0=0,r1=0']");
  assert.equal(await weakRow.getAttribute("class"), "beyond-sc");
  assert.ok(Number(await weakRow.locator("[data-testid=litmus-count]").innerText()) > 0);
  // Cancel stops the workers and reports what was counted.
  await lab.page.fill("[data-testid=litmus-iterations]", "10000000");
  await lab.page.click("[data-testid=litmus-hw] [data-testid=run]");
  // Cancel once the first batch of runs has been tallied (the workers' start-up varies).
  await lab.page.waitForFunction(() => Number(document.querySelector("[data-testid=litmus-hw] progress")?.value ?? 0) > 0,
    null, { timeout: 30000, polling: 50 });
  const started = Date.now();
  await lab.page.click("[data-testid=litmus-hw] [data-testid=cancel]");
  await lab.page.waitForFunction(() => /cancelled early/.test(document.querySelector("[data-testid=litmus-verdict]")?.textContent ?? ""));
  assert.ok(Date.now() - started < 2000, `cancel took ${Date.now() - started} ms`);
  // The partial figures are timed: runs tallied before the cancel, over the time they took.
  const [, runs, ms] = (await lab.text("litmus-figures")).match(/^(\d+) runs in (\d+) ms/).map(Number);
  assert.ok(runs > 0 && runs < 10000000 && ms > 0, `${runs} runs in ${ms} ms`);
  await lab.page.locator("[data-testid=litmus-hw]").screenshot({ path: join(ARTIFACTS, "explorer-litmus.png") });
  lab.assertNoProblems();
});
