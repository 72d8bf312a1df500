// Processes: dedicated Workers that instantiate this very module with a fresh memory.
//
// wasm-bindgen's glue creates a new WebAssembly.Memory when it is given none, so a process's
// statics, heap and allocator are its own: nothing it writes is visible to the page or to
// another process. Messages between them are structured clones (copies, like pickling).
// A trap (a panic aborts) leaves an instance unusable, so the process then reports its exit
// and the page terminates its Worker, and every thread it started with it.

const PROCESS_SOURCE = `
let pkg = null;
const text = (error) => String((error && error.message) || error);
const ports = new Map();
const exit = (code, message, id) => { postMessage({ type: "exit", code, message, id }); };
// The panic hook calls this before the trap (crash.rs), so the message survives the instance.
let panicText = "";
self.labPanicked = (message) => { panicText = panicText || String(message); };
const crashText = (error) => panicText || text(error);
// A trap outside a call (in a future polled from the microtask queue) ends the process too.
self.addEventListener("error", (event) => { event.preventDefault(); exit(1, crashText(event.error || event.message)); });
self.addEventListener("unhandledrejection", (event) => { event.preventDefault(); exit(1, crashText(event.reason)); });

// Echo end of a ping-pong: every message comes straight back.
function echo(port) { port.onmessage = ({ data }) => port.postMessage(data); }

// Times \`rounds\` round trips per sample over \`port\`, in microseconds per round trip.
async function pingPong(port, samples, rounds) {
  const out = [];
  for (let s = 0; s < samples; s++) {
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      await new Promise((resolve) => { port.onmessage = resolve; port.postMessage(r); });
    }
    out.push(((performance.now() - start) * 1000) / rounds);
  }
  port.onmessage = null;
  return out;
}

// Producer end of the bulk queue: fills each chunk, posts a copy, waits for the consumer's sum.
async function sendBulk(port, megabytes, chunkBytes) {
  const chunk = new Uint8Array(chunkBytes);
  const chunks = Math.round((megabytes * 1048576) / chunkBytes);
  const done = new Promise((resolve) => { port.onmessage = ({ data }) => resolve(data); });
  const start = performance.now();
  let sum = 0;
  for (let c = 0; c < chunks; c++) {
    for (let i = 0; i < chunkBytes; i += 4096) chunk[i] = (c + i) & 255;
    for (let i = 0; i < chunkBytes; i += 4096) sum += chunk[i];
    port.postMessage(chunk); // structured clone: the bytes are copied, not moved
  }
  port.postMessage(null);
  const received = await done;
  return { ms: performance.now() - start, bytes: received.bytes, sum_matches: received.sum === sum };
}

function receiveBulk(port) {
  let bytes = 0, sum = 0;
  port.onmessage = ({ data }) => {
    if (data === null) { port.postMessage({ bytes, sum }); bytes = 0; sum = 0; return; }
    bytes += data.byteLength;
    for (let i = 0; i < data.byteLength; i += 4096) sum += data[i];
  };
}

// multiprocessing.Manager's server: the only copy of a dict and of a lock, in this process's
// memory. Every proxy call arrives as a message on one of \`ports\` and is answered on it.
function serveManager(ports) {
  const dict = new Map();
  let holder = null;
  const queued = [];
  let served = 0;
  const answer = (port, id, value) => port.postMessage({ id, value });
  for (const port of ports) {
    port.onmessage = ({ data }) => {
      served++;
      if (data.op === "get") answer(port, data.id, dict.get(data.key) ?? 0);
      else if (data.op === "set") { dict.set(data.key, data.value); answer(port, data.id, null); }
      else if (data.op === "acquire") {
        if (holder === null) { holder = port; answer(port, data.id, true); } else queued.push([port, data.id]);
      } else if (data.op === "release") {
        const next = queued.shift();
        holder = next ? next[0] : null;
        answer(port, data.id, null);
        if (next) answer(next[0], next[1], true);
      }
    };
  }
  return () => ({ n: dict.get("n") ?? 0, served });
}

// A worker's proxies: \`d["n"] += 1\` is d.__getitem__ then d.__setitem__, two round trips to
// the manager, with acquire and release around them when the lock is used.
async function proxyIncrements(port, increments, lock) {
  let next = 0;
  const waiting = new Map();
  port.onmessage = ({ data }) => { waiting.get(data.id)(data.value); waiting.delete(data.id); };
  const call = (op, key, value) => new Promise((resolve) => {
    const id = next++;
    waiting.set(id, resolve);
    port.postMessage({ op, key, value, id });
  });
  const start = performance.now();
  for (let i = 0; i < increments; i++) {
    if (lock) await call("acquire");
    const n = await call("get", "n");
    await call("set", "n", n + 1);
    if (lock) await call("release");
  }
  port.onmessage = null;
  return { calls: next, ms: performance.now() - start };
}

let managerState = null;

self.onmessage = async ({ data }) => {
  switch (data.type) {
    case "boot":
      try {
        pkg = await import(data.mainJS);
        await pkg.default({ module_or_path: data.module }); // no memory given: a fresh one
        await pkg.process_main(data.pid, data.threads);
        postMessage({ type: "ready" });
      } catch (error) { exit(1, text(error)); }
      break;
    case "port": ports.set(data.name, data.port); break;
    case "echo": echo(ports.get(data.name)); postMessage({ type: "result", id: data.id, output: "" }); break;
    case "ping-pong": {
      const samples = await pingPong(ports.get(data.name), data.samples, data.rounds);
      postMessage({ type: "result", id: data.id, output: JSON.stringify(samples) });
      break;
    }
    case "bulk-receive": receiveBulk(ports.get(data.name)); postMessage({ type: "result", id: data.id, output: "" }); break;
    case "manager-serve":
      managerState = serveManager(data.names.map((name) => ports.get(name)));
      postMessage({ type: "result", id: data.id, output: "" });
      break;
    case "manager-read": postMessage({ type: "result", id: data.id, output: JSON.stringify(managerState ? managerState() : null) }); break;
    case "manager-work": {
      const outcome = await proxyIncrements(ports.get(data.name), data.increments, data.lock);
      postMessage({ type: "result", id: data.id, output: JSON.stringify(outcome) });
      break;
    }
    case "bulk-send": {
      const outcome = await sendBulk(ports.get(data.name), data.megabytes, data.chunkBytes);
      postMessage({ type: "result", id: data.id, output: JSON.stringify(outcome) });
      break;
    }
    case "xhr": {
      // Blocking IO for real: a synchronous request holds this Worker's thread until the
      // response has arrived (allowed in workers, never on a page).
      const started = performance.now();
      const requests = data.urls.map((url) => {
        const t = performance.now();
        const xhr = new XMLHttpRequest();
        xhr.open("GET", url, false);
        xhr.send();
        return { start_ms: t - started, ms: performance.now() - t, bytes: xhr.responseText.length, status: xhr.status };
      });
      postMessage({ type: "result", id: data.id, output: JSON.stringify({ requests, total_ms: performance.now() - started }) });
      break;
    }
    case "loop-requests": {
      // asyncio.gather on this process's own event loop: every request awaits a timer (its
      // IO) at once, then computes in this module; the loop runs one computation at a time.
      const stamp = () => performance.timeOrigin + performance.now();
      const request = async () => {
        const start = stamp();
        await new Promise((resolve) => setTimeout(resolve, data.waitMs));
        const waited = stamp();
        await pkg.process_task("compute", String(data.cpuMs));
        return [start, waited, stamp()];
      };
      try {
        const times = await Promise.all(Array.from({ length: data.count }, request));
        postMessage({ type: "result", id: data.id, output: JSON.stringify(times) });
      } catch (error) {
        postMessage({ type: "task-error", id: data.id, message: crashText(error) });
      }
      break;
    }
    case "popen": {
      // subprocess.Popen: the child program runs on this process's own thread, in its own
      // memory. A line on the channel is a line of its stdin, null is EOF. It says when it
      // runs and when it waits for input (blocked), stamped on its own clock.
      const port = data.port;
      const send = (kind, line) => port.postMessage({ kind, text: line, at: performance.timeOrigin + performance.now() });
      const answer = async (kind, input) => {
        send("state", "running");
        let out;
        try { out = JSON.parse(await pkg.process_task(kind, input)); } catch (error) { out = { stdout: [], stderr: [crashText(error)], exit: 1 }; }
        for (const line of out.stdout) send("stdout", line);
        for (const line of out.stderr) send("stderr", line);
        if (out.exit === null || out.exit === undefined) { send("state", "blocked"); return; }
        send("exit", String(out.exit));
        port.onmessage = null;
      };
      let turn = answer("child-start", data.program);
      port.onmessage = ({ data: line }) => {
        turn = turn.then(() => (line === null ? answer("child-end", "") : answer("child-line", line)));
      };
      postMessage({ type: "result", id: data.id, output: "" });
      break;
    }
    case "task":
      try {
        const output = await pkg.process_task(data.kind, data.input);
        postMessage({ type: "result", id: data.id, output });
      } catch (error) {
        if (error instanceof WebAssembly.RuntimeError) { exit(1, crashText(error), data.id); break; }
        const crash = pkg.process_crash_message();
        if (crash) exit(1, crash, data.id);
        else postMessage({ type: "task-error", id: data.id, message: text(error) });
      }
      break;
  }
};`;

let nextPid = 1;

export class LabProcess {
  constructor(name) {
    this.pid = nextPid++;
    this.name = `${name}-${this.pid}`;
    this.alive = false;
    this.exitCode = null;
    this.exitMessage = "";
    this.pending = new Map();
    this.nextId = 1;
    this.exited = [];
  }

  /// Creates the Worker, instantiates the module in it with a fresh memory, and resolves when
  /// the process answers (after starting `threads` threads of its own, if any).
  start(mainJS, module, threads, timeoutMs) {
    return new Promise((resolve, reject) => {
      const url = URL.createObjectURL(new Blob([PROCESS_SOURCE], { type: "text/javascript" }));
      // Named, so DevTools' thread list shows each process.
      this.worker = new Worker(url, { type: "module", name: this.name });
      const timer = setTimeout(() => {
        this.terminate(`did not start within ${timeoutMs} ms`);
        reject(new Error(`process ${this.pid} did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      this.worker.onmessage = ({ data }) => {
        if (data.type === "ready") {
          clearTimeout(timer);
          URL.revokeObjectURL(url);
          this.alive = true;
          resolve(this);
        } else if (data.type === "result") {
          this.settle(data.id, (p) => p.resolve(data.output));
        } else if (data.type === "task-error") {
          this.settle(data.id, (p) => p.reject(new Error(data.message)));
        } else if (data.type === "exit") {
          clearTimeout(timer);
          if (!this.alive && this.exitCode === null) reject(new Error(`process ${this.pid} failed to start: ${data.message}`));
          this.terminate(data.message, data.code);
        }
      };
      this.worker.onerror = (event) => {
        event.preventDefault();
        clearTimeout(timer);
        reject(new Error(`process ${this.pid} could not start: ${event.message || "worker error"}`));
        this.terminate(event.message || "worker error");
      };
      this.worker.postMessage({ type: "boot", mainJS, module, pid: this.pid, threads });
    });
  }

  settle(id, how) {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    how(pending);
  }

  /// Sends a message the process answers with one result; rejects on error, exit or timeout.
  request(message, timeoutMs, transfer = []) {
    if (!this.alive) return Promise.reject(new Error(`process ${this.pid} is not running (${this.exitMessage || "not started"})`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.settle(id, (p) => p.reject(new Error(`process ${this.pid} did not answer within ${timeoutMs} ms`))), timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  /// Runs task `kind` (a Rust function of the process) on `input` text.
  call(kind, input, timeoutMs) {
    return this.request({ type: "task", kind, input }, timeoutMs);
  }

  /// subprocess.Popen: starts `program` in the process with its stdin, stdout and stderr on a
  /// channel of their own; resolves to the parent's end of it.
  popen(program, timeoutMs) {
    const channel = new MessageChannel();
    return this.request({ type: "popen", program, port: channel.port2 }, timeoutMs, [channel.port2])
      .then(() => new LabPipe(channel.port1, timeoutMs));
  }

  /// Gives the process one end of a channel under `name`.
  givePort(name, port) {
    this.worker.postMessage({ type: "port", name, port }, [port]);
  }

  /// Resolves true once the process has exited, or false after `timeoutMs` if it still runs.
  join(timeoutMs) {
    if (!this.alive) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.exited.push(() => { clearTimeout(timer); resolve(true); });
    });
  }

  /// Ends the process (and every Worker it started): the analogue of SIGKILL.
  terminate(message = "terminated", code = -9) {
    if (this.worker) this.worker.terminate();
    if (this.exitCode === null) {
      this.exitCode = code;
      this.exitMessage = message;
    }
    this.alive = false;
    for (const [id] of this.pending) this.settle(id, (p) => p.reject(new Error(`process ${this.pid} exited: ${message}`)));
    for (const wake of this.exited.splice(0)) wake();
  }
}

/// The parent's end of a child's stdin, stdout and stderr: `write(line)`, `close()` (EOF), and
/// `exited`, which resolves, once the child has exited, to everything seen on the channel as
/// JSON, in ms on the page's clock (the child's stamps moved by the two clocks' origins).
export class LabPipe {
  constructor(port, timeoutMs) {
    this.port = port;
    this.events = [];
    const origin = performance.timeOrigin;
    this.exited = new Promise((resolve, reject) => {
      this.timer = setTimeout(() => {
        port.close();
        reject(new Error(`the child did not exit within ${timeoutMs} ms`));
      }, timeoutMs);
      port.onmessage = ({ data }) => {
        this.events.push({ kind: data.kind, text: data.text, at_ms: data.at - origin });
        if (data.kind !== "exit") return;
        clearTimeout(this.timer);
        port.close();
        resolve(JSON.stringify(this.events));
      };
    });
    // A run cancelled before it awaits the exit must not leave an unhandled rejection.
    this.exited.catch(() => {});
  }

  write(line) {
    this.events.push({ kind: "stdin", text: line, at_ms: performance.now() });
    this.port.postMessage(line);
  }

  close() {
    this.events.push({ kind: "eof", text: "", at_ms: performance.now() });
    this.port.postMessage(null);
  }

  /// Stops listening (the run ended or was cancelled); harmless after the exit.
  abandon() {
    clearTimeout(this.timer);
    this.port.close();
  }
}

/// Connects two processes with a MessageChannel under `name` (a duplex pipe).
export function connect(a, b, name) {
  const channel = new MessageChannel();
  a.givePort(name, channel.port1);
  b.givePort(name, channel.port2);
}
