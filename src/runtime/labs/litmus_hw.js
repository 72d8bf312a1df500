// A litmus test on real threads: one dedicated Worker per thread of the test, sharing one
// SharedArrayBuffer. Each run uses fresh locations (index i of every variable's array), and
// all workers meet at a barrier before every run so their accesses overlap in time.
//
// Why JavaScript workers and not wasm: the accesses must be plain loads and stores that no
// compiler reorders. V8 keeps Int32Array accesses in program order (they are effects), and a
// plain typed-array access on shared memory is defined behaviour in JavaScript (a data race
// gives some value, never undefined behaviour), unlike a non-atomic access in Rust.
//
// The page's thread only creates the workers and polls a counter every 50 ms: it never waits.

const CTL_INTS = 64;
const BARRIER = 0; // arrivals so far
const DONE = 1; // runs tallied
const SLEEPERS = 2; // workers inside Atomics.wait
const ELAPSED_US = 3; // worker 1's time for the runs tallied so far, in µs
const COUNTS = 16; // 16 outcome counters, index Σ r_k << k
const CHUNK = 16384; // runs between tallies

function threadSource(ops, fence) {
  const lines = ops.map((op) => {
    if (op.op === "store") {
      return fence ? `Atomics.store(V${op.var}, i, 1);` : `V${op.var}[i] = 1;`;
    }
    return fence ? `R${op.reg}[i] = Atomics.load(V${op.var}, i);` : `R${op.reg}[i] = V${op.var}[i];`;
  });
  return lines.join("\n      ");
}

function workerSource(spec, thread) {
  const views = [];
  for (let v = 0; v < spec.vars; v++) views.push(`const V${v} = new Int32Array(sab, base + ${v} * chunk * 4, chunk);`);
  for (let r = 0; r < spec.regs; r++) views.push(`const R${r} = new Int32Array(sab, base + ${spec.vars + r} * chunk * 4, chunk);`);
  return `"use strict";
onmessage = (e) => {
  try {
    const { sab, n, iterations, chunk, ctlInts } = e.data;
    const ctl = new Int32Array(sab, 0, ctlInts);
    const base = ctlInts * 4;
    ${views.join("\n    ")}
    const data = new Int32Array(sab, base, chunk * ${spec.vars + spec.regs});
    let generation = 0;
    // All n workers arrive before any goes on. Spin first (the runs are short); after a
    // while sleep briefly, so more workers than cores still make progress.
    const barrier = () => {
      generation++;
      const target = generation * n;
      if (Atomics.add(ctl, ${BARRIER}, 1) + 1 === target) {
        if (Atomics.load(ctl, ${SLEEPERS}) > 0) Atomics.notify(ctl, ${BARRIER});
        return;
      }
      let spins = 0;
      for (;;) {
        const seen = Atomics.load(ctl, ${BARRIER});
        if (seen >= target) return;
        if (++spins > 4000) {
          Atomics.add(ctl, ${SLEEPERS}, 1);
          Atomics.wait(ctl, ${BARRIER}, seen, 1);
          Atomics.sub(ctl, ${SLEEPERS}, 1);
        }
      }
    };
    barrier();
    const start = performance.now();
    let done = 0;
    while (done < iterations) {
      const len = Math.min(chunk, iterations - done);
      for (let i = 0; i < len; i++) {
        barrier();
      ${threadSource(spec.threads[thread], spec.fence)}
      }
      barrier();
      if (${thread} === 0) {
        for (let i = 0; i < len; i++) {
          let index = 0;
          ${Array.from({ length: spec.regs }, (_, r) => `index |= (R${r}[i] & 1) << ${r};`).join(" ")}
          Atomics.add(ctl, ${COUNTS} + index, 1);
        }
        data.fill(0);
        Atomics.store(ctl, ${ELAPSED_US}, Math.round((performance.now() - start) * 1000));
        Atomics.store(ctl, ${DONE}, done + len);
      }
      done += len;
      barrier();
    }
    postMessage({ ms: performance.now() - start });
  } catch (error) {
    postMessage({ error: String(error) });
  }
};
`;
}

/**
 * Runs `spec` (JSON: {vars, regs, threads: [[{op, var, reg}]], fence}) `iterations` times.
 * Resolves to {counts: number[16], runs, ms, cancelled}. `shouldStop()` is asked every 50 ms;
 * when it says true the workers are stopped and the runs tallied so far are reported.
 */
export function runLitmus(specJson, iterations, shouldStop, onProgress) {
  const spec = JSON.parse(specJson);
  const n = spec.threads.length;
  const chunk = Math.min(CHUNK, iterations);
  const sab = new SharedArrayBuffer(4 * (CTL_INTS + chunk * (spec.vars + spec.regs)));
  const ctl = new Int32Array(sab, 0, CTL_INTS);
  return new Promise((resolve, reject) => {
    const workers = [];
    const urls = [];
    let finished = 0;
    let ms = 0;
    let over = false;
    const end = (cancelled, error) => {
      if (over) return;
      over = true;
      clearInterval(timer);
      for (const worker of workers) worker.terminate();
      for (const url of urls) URL.revokeObjectURL(url);
      if (error) return reject(new Error(error));
      resolve({
        counts: Array.from(ctl.subarray(COUNTS, COUNTS + 16)),
        runs: Atomics.load(ctl, DONE),
        // Cancelled workers never report: use worker 1's time up to its last tally.
        ms: cancelled ? Atomics.load(ctl, ELAPSED_US) / 1000 : ms,
        cancelled,
      });
    };
    const timer = setInterval(() => {
      onProgress(Atomics.load(ctl, DONE));
      if (shouldStop()) end(true);
    }, 50);
    for (let t = 0; t < n; t++) {
      const url = URL.createObjectURL(new Blob([workerSource(spec, t)], { type: "text/javascript" }));
      urls.push(url);
      const worker = new Worker(url, { name: `lab-litmus-${t + 1}` });
      workers.push(worker);
      worker.onmessage = (e) => {
        if (e.data.error) return end(false, `litmus worker ${t + 1}: ${e.data.error}`);
        ms = Math.max(ms, e.data.ms);
        if (++finished === n) end(false);
      };
      worker.onerror = (e) => end(false, `litmus worker ${t + 1} failed to start: ${e.message || "error"}`);
      worker.postMessage({ sab, n, iterations, chunk, ctlInts: CTL_INTS });
    }
  });
}
