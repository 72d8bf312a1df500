// End-to-end: the processes lab with real processes (Workers with their own wasm memory),
// through the page and window.lab.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPage, ARTIFACTS } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();

async function processesPage() {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("processes");
  await lab.waitForPool();
  return lab;
}

/** Console errors a deliberate crash prints (the panic hook logs each panic), and nothing else. */
function withoutExpectedPanics(problems) {
  return problems.filter((p) => !/panicked|^pageerror: unreachable$|exited/.test(p));
}

test("a global is one copy per process and one shared variable for threads, from the page", async () => {
  const lab = await processesPage();
  await lab.page.fill("[data-testid=pr-increments]", "2500");
  await lab.page.click("[data-testid=pr-isolation] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=pr-isolation-summary]", { timeout: 60000 });
  const counters = await lab.page.$$eval("[data-testid=pr-process-counter]", (dds) => dds.map((d) => d.textContent.trim()));
  assert.deepEqual(counters, ["2500", "2500"], "each process counted on its own copy");
  assert.equal(await lab.text("pr-page-counter"), "0");
  assert.equal(await lab.text("pr-thread-counter"), "5000");
  const report = await lab.consoleRun("isolation", { increments: 7 });
  assert.deepEqual(report.process_counters, [7, 7]);
  assert.equal(report.thread_counter, 14);
  assert.equal(report.page_counter, 0);
  assert.equal(new Set(report.pids).size, 2, "two distinct processes");
  lab.assertNoProblems();
});

test("Pool.map returns results in submission order, whatever order they arrive in", async () => {
  const lab = await processesPage();
  const report = await lab.consoleRun("pool", { processes: 3, tasks: 9, task_ms: 120 });
  assert.deepEqual(report.results_in_order, [1, 4, 9, 16, 25, 36, 49, 64, 81]);
  assert.deepEqual(report.results.map((r) => r.task), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual([...report.arrival_order].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(new Set(report.results.map((r) => r.pid)).size, 3, "all three processes took tasks");
  assert.equal(report.restarted, 0);
  // Three rounds of real 120 ms waits on three processes: at least 360 ms after start-up.
  assert.ok(report.ms - report.start_ms >= 3 * 120 - 5, `pool ran ${report.ms - report.start_ms} ms after start-up`);
  assert.ok(report.ms - report.start_ms < 9 * 120, "three processes overlap their waits");
  // The same from the page: the table lists every task with its square.
  await lab.page.fill("[data-testid=pr-tasks]", "4");
  await lab.page.fill("[data-testid=pr-task-ms]", "30");
  await lab.page.click("[data-testid=pr-pool] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=pr-pool-table]", { timeout: 60000 });
  assert.equal(await lab.text("pr-in-order"), "1, 4, 9, 16");
  const bad = await lab.consoleError("pool", { processes: 9 });
  assert.match(bad, /processes must be an integer between 1 and 8/);
  lab.assertNoProblems();
});

test("a crashed process dies alone and the pool replaces it; a crashing thread takes its whole process; the page survives", async () => {
  const lab = await processesPage();
  const processCrash = await lab.consoleRun("crash", { mode: "process" });
  assert.equal(processCrash.crashed, 1);
  assert.equal(processCrash.restarted, 1);
  assert.equal(processCrash.completed_tasks, 5);
  assert.equal(processCrash.total_tasks, 6);
  assert.equal(processCrash.page_alive, true);
  assert.deepEqual(processCrash.results.map((r) => r.value), [1, 4, null, 16, 25, 36], "only task 2 failed, the rest in order");
  assert.match(processCrash.results[2].error, /panicked in process/);

  await lab.page.click("[data-testid=pr-crash-thread]");
  await lab.page.waitForFunction(() => document.querySelector("[data-testid=pr-threads-lost]"), null, { timeout: 60000 });
  assert.equal(await lab.text("pr-crashed"), "1");
  assert.equal(await lab.text("pr-threads-lost"), "3");
  assert.equal(await lab.text("pr-completed"), "0 of 3");
  assert.equal(await lab.text("pr-page-alive"), "still answers");
  assert.match(await lab.text("pr-exit-message"), /thread T2 of process \d+ panicked/);
  // The page still works: a click runs, the console answers, no crash banner.
  const machine = await lab.machine();
  assert.ok(machine.hardwareConcurrency >= 1);
  await lab.page.click("[data-testid=pr-isolation] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=pr-isolation-summary]", { timeout: 60000 });
  assert.equal(await lab.page.locator(".crash-banner:visible").count(), 0, "no crash banner on the page");
  assert.deepEqual(withoutExpectedPanics(lab.page.problems), []);
});

test("thread-local slots and a dict keyed by thread keep one value per thread; a shared global keeps the last", async () => {
  const lab = await processesPage();
  const report = await lab.consoleRun("thread-local", { threads: 4 });
  const greetings = [1, 2, 3, 4].map((i) => `hello from T${i}`);
  assert.deepEqual(report.values, greetings);
  assert.deepEqual(report.dict_values, greetings);
  assert.equal(report.shared_value, "hello from T4", "the slowest writer wrote last");
  assert.deepEqual(report.shared_reads, Array(4).fill("hello from T4"));
  lab.assertNoProblems();
});

test("the cost table has finite positive medians, checks the notes' claims, and no Worker outlives 20 runs", async () => {
  const lab = await processesPage();
  const costs = await lab.consoleRun("costs", { repeats: 5 });
  assert.deepEqual(costs.rows.map((r) => r.name),
    ["spawn-process", "spawn-thread-task", "spawn-future", "roundtrip-process", "roundtrip-thread", "roundtrip-future",
      "roundtrip-future-js-loop"]);
  for (const row of costs.rows) {
    for (const key of ["median_us", "p10_us", "p90_us"]) assert.ok(Number.isFinite(row[key]) && row[key] > 0, `${row.name} ${key} ${row[key]}`);
    assert.ok(row.p10_us <= row.median_us && row.median_us <= row.p90_us, row.name);
  }
  const byName = Object.fromEntries(costs.rows.map((r) => [r.name, r.median_us]));
  // Orders of magnitude apart, so safe on a busy machine: a process starts far slower than a future.
  assert.ok(byName["spawn-process"] > 20 * byName["spawn-future"], JSON.stringify(byName));
  const [copied, shared] = costs.transfer;
  assert.equal(copied.name, "queue-between-processes");
  assert.equal(copied.bytes_copied, 16 * 1024 * 1024, "every byte crossed by copy");
  assert.equal(shared.bytes_copied, 0);
  assert.ok(copied.mb_per_s > 0 && shared.mb_per_s > 0);
  assert.deepEqual(costs.verdicts.map((v) => v.claim.split(" ")[0]), ["process", "processes", "data"]);
  for (const v of costs.verdicts) assert.match(v.detail, /\d/);

  const workers = () => lab.page.workers().length;
  const before = workers();
  for (let i = 0; i < 20; i++) {
    await lab.consoleRun(i % 2 ? "isolation" : "pool", i % 2 ? { increments: 10 } : { processes: 2, tasks: 3, task_ms: 0 });
  }
  await lab.page.waitForTimeout(300);
  assert.equal(workers(), before, "every process's Worker was terminated");

  await lab.page.fill("[data-testid=pr-repeats]", "3");
  await lab.page.click("[data-testid=pr-costs] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=pr-costs-table]", { timeout: 120000 });
  assert.equal(await lab.page.locator("[data-testid=pr-costs-table] tbody tr").count(), 9);
  assert.equal(await lab.page.locator("[data-testid=pr-verdicts] li").count(), 3);
  // Copyable as JSON and as CSV: one CSV line per row, with its figures.
  const csv = (await lab.page.textContent("[data-testid=pr-costs]")).match(/name,median_us,[^]*?bytes_copied\n(?:[^\n]*\n){9}/);
  assert.ok(csv, "the CSV export is on the page");
  assert.match(csv[0], /\nroundtrip-thread,\d+\.\d{3},\d+\.\d{3},\d+\.\d{3},3,500,,\n/);
  assert.match(csv[0], /\nqueue-between-processes,,,,,,\d+\.\d,16777216\n/);
  await lab.page.screenshot({ path: join(ARTIFACTS, "processes.png"), fullPage: true });
  lab.assertNoProblems();
});

test("the notes' downloads: one after the other takes the sum, processes, threads and coroutines the longest", async () => {
  const lab = await processesPage();
  const report = await lab.consoleRun("downloads", { scale_ms: 40, seed: 3 });
  assert.equal(report.files.length, 5);
  for (const f of report.files) assert.ok(f.seconds >= 5 && f.seconds <= 10 && f.ms === f.seconds * 40, JSON.stringify(f));
  const [a, b] = report.files;
  const by = Object.fromEntries(report.strategies.map((s) => [s.name, s]));
  assert.deepEqual(Object.keys(by), ["sequential", "processes", "pool", "threads", "coroutines"]);
  assert.equal(by.sequential.expected_ms, a.ms + b.ms);
  assert.equal(by.pool.expected_ms, Math.max(...report.files.map((f) => f.ms)));
  // Real waits: nobody beats the ideal, and waiting side by side beats one after another.
  for (const s of report.strategies) assert.ok(s.ms >= s.expected_ms - 5, `${s.name} took ${s.ms} < ${s.expected_ms}`);
  for (const name of ["threads", "coroutines"]) {
    assert.ok(by[name].ms < by.sequential.ms - 0.5 * Math.min(a.ms, b.ms), `${name} ${by[name].ms} vs sequential ${by.sequential.ms}`);
  }
  assert.ok(by.processes.ms - by.processes.start_ms < by.sequential.ms, "two processes wait side by side");
  await lab.page.fill("[data-testid=pr-dl-scale]", "20");
  await lab.page.click("[data-testid=pr-downloads] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=pr-dl-table]", { timeout: 60000 });
  assert.equal(await lab.page.locator("[data-testid=pr-dl-chart] .bar-row").count(), 5);
  lab.assertNoProblems();
});

test("join with a timeout returns while the worker lives; the program waits for it and stops the daemon", async () => {
  const lab = await processesPage();
  const r = await lab.consoleRun("join-daemon", { work_ms: 400, join_timeout_ms: 100 });
  assert.ok(r.join_returned_ms >= 95 && r.join_returned_ms < 400, `join returned at ${r.join_returned_ms}`);
  assert.equal(r.alive_after_join, true);
  assert.ok(r.worker_finished_ms >= 395, `worker finished at ${r.worker_finished_ms}`);
  assert.ok(r.program_exit_ms >= r.worker_finished_ms, "the program ends after its non-daemon thread");
  assert.equal(r.daemon_finished, false, "a job of 1200 ms cannot finish in a 400 ms program");
  assert.ok(r.daemon_rounds >= 5 && r.daemon_rounds < 120, `daemon rounds ${r.daemon_rounds}`);
  const late = await lab.consoleRun("join-daemon", { work_ms: 100, join_timeout_ms: 1000 });
  assert.equal(late.alive_after_join, false, "a join that outlasts the work finds the worker gone");
  await lab.page.click("[data-testid=pr-join] [data-testid=run]");
  await lab.page.waitForSelector("[data-testid=pr-join-summary]", { timeout: 60000 });
  assert.equal(await lab.text("pr-join-alive"), "True");
  assert.match(await lab.text("pr-join-daemon"), /^was stopped after \d+ rounds of 10 ms$/);
  lab.assertNoProblems();
});
