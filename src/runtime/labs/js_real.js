// The visitor's JavaScript, run for real: in a dedicated Worker (no access to the page), with
// console.log captured in order and formatted by the same rules as the model, timers counted
// so the run knows when nothing is left, and a time limit. `harness` is also what
// scripts/js-corpus.mjs runs under Node to record the corpus's expected output.

/** The program wrapped so it reports `{output, unhandled}` when nothing is left to run. */
export function harness(source, host, topAwait = false) {
  return `"use strict";
const __out = [];
const __unhandled = [];
const __timers = new Map();
let __nextTimer = 1;
let __done = false;
const __realSetTimeout = setTimeout;
const __realClearTimeout = clearTimeout;
function __format(v, top) {
  if (typeof v === "string") return top ? v : "'" + v + "'";
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "function") return v.name ? "[Function: " + v.name + "]" : "[Function (anonymous)]";
  if (v instanceof Error) return v.message ? v.name + ": " + v.message : v.name;
  if (v instanceof Promise) return "[object Promise]";
  if (Array.isArray(v)) return v.length ? "[ " + v.map((x) => __format(x, false)).join(", ") + " ]" : "[]";
  if (typeof v === "object") {
    const keys = Object.keys(v);
    return keys.length ? "{ " + keys.map((k) => k + ": " + __format(v[k], false)).join(", ") + " }" : "{}";
  }
  return String(v);
}
function __uncaught(e) { __out.push("Uncaught " + __format(e, true)); }
const __console = { log: (...args) => { if (__out.length < 2000) __out.push(args.map((a) => __format(a, true)).join(" ")); } };
function __setTimeout(f, ms, ...args) {
  if (typeof f !== "function") throw new TypeError("setTimeout needs a function in the subset");
  const id = __nextTimer++;
  __timers.set(id, __realSetTimeout(() => {
    __timers.delete(id);
    try { f(...args); } catch (e) { __uncaught(e); }
    __check();
  }, ms));
  return id;
}
function __clearTimeout(id) {
  if (__timers.has(id)) { __realClearTimeout(__timers.get(id)); __timers.delete(id); }
  __check();
}
function __queueMicrotask(f) {
  if (typeof f !== "function") throw new TypeError("queueMicrotask needs a function");
  queueMicrotask(() => { try { f(); } catch (e) { __uncaught(e); } });
}
const __rejections = new Map();
${host === "node" ? `process.on("unhandledRejection", (reason, p) => __rejections.set(p, __format(reason, true)));
process.on("rejectionHandled", (p) => __rejections.delete(p));
function __report() { process.stdout.write(JSON.stringify({ output: __out, unhandled: [...__rejections.values()] }) + "\\n"); }
const __later = (f) => setImmediate(f);`
  : `self.addEventListener("unhandledrejection", (e) => { e.preventDefault(); __rejections.set(e.promise, __format(e.reason, true)); });
self.addEventListener("rejectionhandled", (e) => __rejections.delete(e.promise));
function __report() { postMessage({ output: __out, unhandled: [...__rejections.values()] }); }
const __later = (f) => { const c = new MessageChannel(); c.port1.onmessage = () => f(); c.port2.postMessage(0); };`}
// Nothing can run once no timer is pending and the microtasks have drained; rejection
// events come a task later, so check twice.
function __check() {
  __later(() => __realSetTimeout(() => {
    if (!__done && __timers.size === 0) { __done = true; __report(); }
  }, 0));
}
try {
  ${topAwait ? "(async function" : "(function"} (console, setTimeout, clearTimeout, queueMicrotask) {
${source}
  }).call(undefined, __console, __setTimeout, __clearTimeout, __queueMicrotask)${topAwait ? ".catch(__uncaught)" : ""};
} catch (e) { __uncaught(e); }
__check();
`;
}

/**
 * Runs `source` in a fresh Worker; resolves `{output, unhandled, ms, timed_out, error}`.
 * The Worker is terminated at the end or after `timeoutMs`, whichever is first.
 */
export function runReal(source, timeoutMs, topAwait) {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(new Blob([harness(source, "worker", topAwait)], { type: "text/javascript" }));
    const worker = new Worker(url, { name: "lab-js-real" });
    const start = performance.now();
    let finished = false;
    const finish = (result) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      worker.terminate();
      URL.revokeObjectURL(url);
      resolve({ output: [], unhandled: [], timed_out: false, error: null, ...result, ms: performance.now() - start });
    };
    const timer = setTimeout(() => finish({ timed_out: true, error: `stopped after ${timeoutMs} ms (the time limit)` }), timeoutMs);
    worker.onmessage = (e) => finish(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      const where = e.lineno ? `line ${e.lineno - HARNESS_LINES}, column ${e.colno}: ` : "";
      finish({ error: `${where}${e.message}`, failed_to_load: true });
    };
  });
}

/** Lines the harness puts before the visitor's first line. */
const HARNESS_LINES = harness("\u0000", "worker").split("\n").findIndex((l) => l.includes("\u0000"));
