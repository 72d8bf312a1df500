// End-to-end: staying up. Every console experiment runs SOAK_ROUNDS times in a row on one page
// (2 in `make test`, 50 in `make soak`), every seventh run cancelled 30 ms in. At the end:
// no console error (but the crash experiment's own deliberate panic), no unhandled rejection, the wasm memory no larger than after the first
// round, and exactly the workers of the start (Workers of js-real, litmus-hw and process
// tasks are gone). The figures are printed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPage } from "../browser.mjs";
import { useSite } from "../harness.mjs";
import { LabPage } from "../pages.mjs";

const site = useSite();
const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 2);

// Small versions of the slow experiments, so a round takes seconds; the rest run at defaults.
const QUICK = {
  cores: { width: 128, height: 96, max_iter: 200 },
  queue: { items: 200 },
  starvation: { duration_ms: 100 },
  gil: { cpu_steps: 2000 },
  "thread-count": { max_threads: 4, duration_ms: 100 },
  pool: { tasks: 4, task_ms: 10 },
  downloads: { scale_ms: 10 },
  "join-daemon": { work_ms: 50, join_timeout_ms: 10 },
  subprocess: { interval_ms: 10 },
  "process-loops": { requests: 4, wait_ms: 10, cpu_ms: 5 },
  manager: { increments: 20 },
  costs: { repeats: 3 },
  "io-models": { connections: 3, delay_ms: 20 },
  "litmus-hw": { iterations: 20000 },
  "async-waits": { tasks: 5, wait_ms: 30 },
  "block-loop": { work_ms: 50 },
};

async function workers(cdp) {
  return (await cdp.send("Target.getTargets")).targetInfos.filter((t) => t.type === "worker").map((t) => t.title);
}

test(`soak: every experiment ${ROUNDS} times, some cancelled; no errors, memory and workers flat`, { timeout: 60 * 60 * 1000 }, async () => {
  const lab = new LabPage(await openPage(site.browser), site.server.url);
  await lab.open("");
  await lab.waitForPool();
  await lab.page.evaluate(() => {
    window.__unhandled = [];
    window.addEventListener("unhandledrejection", (e) => window.__unhandled.push(String(e.reason)));
  });
  const cdp = await lab.page.context().newCDPSession(lab.page);
  const startWorkers = await workers(cdp);
  const ids = await lab.page.evaluate(() => window.lab.labs());
  let runs = 0;
  let cancelled = 0;
  let afterFirstRound = 0;
  const started = Date.now();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const id of ids) {
      runs += 1;
      const cancel = runs % 7 === 0;
      const outcome = await lab.page.evaluate(async ([id, params, cancel]) => {
        const run = window.lab.run(id, params);
        // A run over before the 30 ms must not have its cancel land on the next run.
        const timer = cancel ? setTimeout(() => window.lab.cancel(), 30) : 0;
        try {
          await run;
          return "ok";
        } catch (e) {
          return e.message;
        } finally {
          clearTimeout(timer);
        }
      }, [id, QUICK[id] ?? {}, cancel]);
      if (outcome !== "ok") {
        // Only a cancel may end a run early, and it says so.
        assert.ok(cancel && /cancelled/.test(outcome), `${id} (round ${round}): ${outcome}`);
        cancelled += 1;
      }
    }
    if (round === 1) afterFirstRound = await lab.page.evaluate(() => window.lab.memory());
  }
  const endMemory = await lab.page.evaluate(() => window.lab.memory());
  // Workers started for a run are terminated when it ends; give the last ones a moment.
  let endWorkers = await workers(cdp);
  for (let i = 0; i < 20 && endWorkers.length !== startWorkers.length; i++) {
    await lab.page.waitForTimeout(100);
    endWorkers = await workers(cdp);
  }
  const unhandled = await lab.page.evaluate(() => window.__unhandled);
  console.log(`soak: ${runs} runs of ${ids.length} experiments in ${((Date.now() - started) / 1000).toFixed(0)} s, ` +
    `${cancelled} ended by cancel; wasm memory ${(afterFirstRound / 2 ** 20).toFixed(1)} MiB after round 1, ` +
    `${(endMemory / 2 ** 20).toFixed(1)} MiB at the end; workers ${startWorkers.length} at the start, ${endWorkers.length} at the end`);
  assert.deepEqual(unhandled, []);
  assert.ok(endMemory <= afterFirstRound, `wasm memory grew from ${afterFirstRound} to ${endMemory} bytes`);
  assert.deepEqual(endWorkers.sort(), startWorkers.sort());
  // The crash experiment panics a process on purpose; its own report of that is expected.
  const deliberate = /task with input \d+ panicked in process \d+/;
  assert.deepEqual(lab.page.problems.filter((p) => !deliberate.test(p)), []);
});
