//! The presets' source listings, Python and JavaScript side by side. The ops in
//! `presets.rs` find their lines in these texts by snippet, so wording can change
//! freely as long as each snippet still appears once where it is expected.
//!
//! Every listing runs as written (Python 3.11+, Node 18+ as an ES module) and prints what
//! the simulator prints, except the Python column of `js-order`, which says why not.

pub const PRINT_SUM_PY: &str = r#"import asyncio


async def compute(x, y):
    print(f"Compute {x} + {y} ...")
    await asyncio.sleep(1.0)
    return x + y


async def print_sum(x, y):
    result = await compute(x, y)
    print(f"{x} + {y} = {result}")


print("start")
asyncio.run(print_sum(1, 2))
print("end")
"#;

pub const PRINT_SUM_JS: &str = r#"// An ES module (top-level await): node print-sum.mjs
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function compute(x, y) {
  console.log(`Compute ${x} + ${y} ...`);
  await sleep(1000);
  return x + y;
}

async function printSum(x, y) {
  const result = await compute(x, y);
  console.log(`${x} + ${y} = ${result}`);
}

console.log("start");
await printSum(1, 2); // the module waits here, like asyncio.run
console.log("end");
"#;

pub const FUTURE_HANDOFF_PY: &str = r#"import asyncio


async def producer(fut):
    print("producer: working for 1 s")
    await asyncio.sleep(1)
    fut.set_result("data")
    print("producer: result set")


async def consumer(fut):
    print("consumer: waiting for the future")
    value = await fut
    print(f"consumer: got {value}")


async def main():
    fut = asyncio.get_running_loop().create_future()
    await asyncio.gather(producer(fut), consumer(fut))


asyncio.run(main())
"#;

pub const FUTURE_HANDOFF_JS: &str = r#"// An ES module (top-level await).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function producer(fut) {
  console.log("producer: working for 1 s");
  await sleep(1000);
  fut.resolve("data");
  console.log("producer: result set");
}

async function consumer(fut) {
  console.log("consumer: waiting for the future");
  const value = await fut.promise;
  console.log(`consumer: got ${value}`);
}

async function main() {
  const fut = {}; // a promise plus the power to settle it: an asyncio Future
  fut.promise = new Promise((resolve) => (fut.resolve = resolve));
  await Promise.all([producer(fut), consumer(fut)]);
}

await main();
"#;

pub const CREATE_TASK_PY: &str = r#"import asyncio
import time

T0 = time.monotonic()


def now():
    """Milliseconds since the start, rounded to 100 ms like the simulator's clock."""
    return round((time.monotonic() - T0) * 10) * 100


async def fetch(name):
    await asyncio.sleep(1)
    print(f"{now()} ms: {name} ready")


async def main():
    start = now()
    await fetch("A")  # awaited directly: main waits 1 s ...
    await fetch("B")  # ... and then 1 s more
    print(f"awaiting one by one took {now() - start} ms")

    start = now()
    task_a = asyncio.create_task(fetch("A"))  # both are scheduled right away
    task_b = asyncio.create_task(fetch("B"))
    await task_a  # meanwhile they sleep side by side
    await task_b
    print(f"two tasks took {now() - start} ms")


asyncio.run(main())
"#;

pub const CREATE_TASK_JS: &str = r#"// An ES module (top-level await).
const t0 = Date.now();
const now = () => Math.round((Date.now() - t0) / 100) * 100;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function fetchItem(name) {
  await sleep(1000);
  console.log(`${now()} ms: ${name} ready`);
}

async function main() {
  let start = now();
  await fetchItem("A"); // awaited directly: main waits 1 s ...
  await fetchItem("B"); // ... and then 1 s more
  console.log(`awaiting one by one took ${now() - start} ms`);

  start = now();
  const taskA = fetchItem("A"); // calling an async function starts it at once
  const taskB = fetchItem("B");
  await taskA; // meanwhile they sleep side by side
  await taskB;
  console.log(`two tasks took ${now() - start} ms`);
}

await main();
"#;

pub const JS_ORDER_PY: &str = r#"import asyncio

# asyncio has no microtask queue; call_soon is the nearest thing. Real asyncio
# prints "setTimeout" before "promise2" here: the simulator follows the browser.
loop = asyncio.new_event_loop()


def promise1():
    print("promise1")
    loop.call_soon(promise2)  # the chained reaction is queued only now


def promise2():
    print("promise2")


print("script start")
loop.call_later(0, print, "setTimeout")  # a timer, like setTimeout(..., 0)
loop.call_soon(promise1)  # stands in for Promise.resolve().then(...)
print("script end")
loop.call_later(0.01, loop.stop)
loop.run_forever()
"#;

pub const JS_ORDER_JS: &str = r#"console.log("script start");

setTimeout(() => {
  console.log("setTimeout");
}, 0);

Promise.resolve()
  .then(() => {
    console.log("promise1");
  })
  .then(() => {
    console.log("promise2");
  });

console.log("script end");
"#;

pub const PINGPONG_PY: &str = r#"def consumer():
    answer = None
    while True:
        item = yield answer  # hand `answer` out, then wait for the next item
        if item is None:
            return
        print(f"consumer got {item}")
        answer = "200 OK"


def producer(gen):
    next(gen)  # prime it: run the consumer up to its first yield
    for item in range(1, 4):
        print(f"producer sends {item}")
        reply = gen.send(item)  # control and item go in; control and a reply come back
        print(f"producer hears {reply}")
    gen.close()


producer(consumer())
"#;

pub const PINGPONG_JS: &str = r#"function* consumer() {
  let answer = null;
  while (true) {
    const item = yield answer; // hand `answer` out, then wait for the next item
    if (item === undefined) return;
    console.log(`consumer got ${item}`);
    answer = "200 OK";
  }
}

function producer(gen) {
  gen.next(); // prime it: run the consumer up to its first yield
  for (let item = 1; item < 4; item++) {
    console.log(`producer sends ${item}`);
    const reply = gen.next(item).value; // control and item go in; a reply comes back
    console.log(`producer hears ${reply}`);
  }
  gen.return();
}

producer(consumer());
"#;

pub const GREENLET_PY: &str = r#"from greenlet import greenlet


def ping():
    print("ping: serve")
    pong_g.switch()  # explicit hand-off: pong runs, ping freezes right here
    print("ping: return")
    pong_g.switch()
    print("ping: done")  # returning hands control to the parent: main


def pong():
    print("pong: receive")
    ping_g.switch()  # and back to ping, by hand again
    print("pong: smash")
    ping_g.switch()
    print("pong: done")


ping_g = greenlet(ping)
pong_g = greenlet(pong)
ping_g.switch()
print("main: ping has finished, pong is still suspended")
pong_g.switch()
print("main: all done")
"#;

pub const GREENLET_JS: &str = r#"// JavaScript has no greenlets. Generators and a small trampoline come closest:
// `yield "pong"` asks the trampoline to switch to the generator called pong.
const greenlets = {};

function* ping() {
  console.log("ping: serve");
  yield "pong"; // like pong_g.switch()
  console.log("ping: return");
  yield "pong";
  console.log("ping: done");
}

function* pong() {
  console.log("pong: receive");
  yield "ping"; // like ping_g.switch()
  console.log("pong: smash");
  yield "ping";
  console.log("pong: done");
}

function switchTo(name) {
  // Follow the hand-offs until one generator finishes: control is back in main.
  for (let next = name; next; ) next = greenlets[next].next().value;
}

greenlets.ping = ping();
greenlets.pong = pong();
switchTo("ping");
console.log("main: ping has finished, pong is still suspended");
switchTo("pong");
console.log("main: all done");
"#;

pub const GEVENT_PY: &str = r#"from gevent import monkey

monkey.patch_all()  # from here on, time.sleep and sockets switch to gevent's hub

import time

import gevent

T0 = time.monotonic()


def now():
    return round((time.monotonic() - T0) * 10) * 100


def download(name, seconds):
    print(f"{now()} ms: {name} start")
    time.sleep(seconds)  # stands in for socket IO: the patched call switches by itself
    print(f"{now()} ms: {name} done")


jobs = [
    gevent.spawn(download, "a.html", 3),
    gevent.spawn(download, "b.html", 1),
    gevent.spawn(download, "c.html", 2),
]
gevent.joinall(jobs)
print(f"{now()} ms: all done")
"#;

pub const GEVENT_JS: &str = r#"// An ES module. JavaScript never switches implicitly: each wait is an explicit
// await. The clock sees the same thing as with gevent.
const t0 = Date.now();
const now = () => Math.round((Date.now() - t0) / 100) * 100;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function download(name, seconds) {
  console.log(`${now()} ms: ${name} start`);
  await sleep(seconds * 1000); // stands in for network IO
  console.log(`${now()} ms: ${name} done`);
}

const jobs = [download("a.html", 3), download("b.html", 1), download("c.html", 2)];
await Promise.all(jobs);
console.log(`${now()} ms: all done`);
"#;

pub const DOWNLOADS_GENERATOR_PY: &str = r#"import heapq
import time

T0 = time.monotonic()


def now():
    return round((time.monotonic() - T0) * 10) * 100


def download(name, seconds):
    print(f"{now()} ms: {name} start")
    yield seconds  # "wake me in `seconds`": control goes back to the scheduler
    print(f"{now()} ms: {name} done")


def run(gens):
    """A tiny event loop: a heap of (wake-up time, order, generator)."""
    timers = [(0, i, gen) for i, gen in enumerate(gens)]
    while timers:
        wake_at, i, gen = heapq.heappop(timers)
        time.sleep(max(0, wake_at - (time.monotonic() - T0)))  # idle until it is due
        try:
            delay = next(gen)  # run the generator up to its next yield
            heapq.heappush(timers, (wake_at + delay, i, gen))
        except StopIteration:
            pass  # this download has finished


run([download("a.html", 3), download("b.html", 1), download("c.html", 2)])
print(f"{now()} ms: all done")
"#;

pub const DOWNLOADS_GENERATOR_JS: &str = r#"// An ES module. A generator yields how long it wants to wait; the scheduler
// resumes it from a timer when the wait is over.
const t0 = Date.now();
const now = () => Math.round((Date.now() - t0) / 100) * 100;

function* download(name, seconds) {
  console.log(`${now()} ms: ${name} start`);
  yield seconds; // "wake me in `seconds`": control goes back to the scheduler
  console.log(`${now()} ms: ${name} done`);
}

function run(gens) {
  return new Promise((resolve) => {
    let alive = gens.length;
    const resume = (gen) => {
      const { value, done } = gen.next(); // run the generator up to its next yield
      if (!done) {
        setTimeout(() => resume(gen), value * 1000); // wake it when its wait is over
      } else if (--alive === 0) {
        resolve();
      }
    };
    gens.forEach(resume);
  });
}

await run([download("a.html", 3), download("b.html", 1), download("c.html", 2)]);
console.log(`${now()} ms: all done`);
"#;

pub const DOWNLOADS_GREENLET_PY: &str = r#"import time

from greenlet import getcurrent, greenlet

T0 = time.monotonic()


def now():
    return round((time.monotonic() - T0) * 10) * 100


def download(name, seconds):
    print(f"{now()} ms: {name} start")
    main.switch()  # hand control back by hand; no IO is in flight yet
    time.sleep(seconds)  # plain blocking IO: the whole thread waits, nobody else runs
    print(f"{now()} ms: {name} done")


main = getcurrent()
jobs = [greenlet(download) for _ in range(3)]
jobs[0].switch("a.html", 3)
jobs[1].switch("b.html", 1)
jobs[2].switch("c.html", 2)
for job in jobs:
    job.switch()  # resume each one: the blocking sleeps run one after another
print(f"{now()} ms: all done")
"#;

pub const DOWNLOADS_GREENLET_JS: &str = r#"// JavaScript has no greenlets: generators stand in for them and a busy-wait stands
// in for a blocking call. Switching by hand does not make the waits overlap here either.
const t0 = Date.now();
const now = () => Math.round((Date.now() - t0) / 100) * 100;

function blockingSleep(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end); // nothing else can run meanwhile
}

function* download(name, seconds) {
  console.log(`${now()} ms: ${name} start`);
  yield; // hand control back by hand, like main.switch()
  blockingSleep(seconds * 1000); // plain blocking IO: the whole thread waits
  console.log(`${now()} ms: ${name} done`);
}

const jobs = [download("a.html", 3), download("b.html", 1), download("c.html", 2)];
jobs[0].next();
jobs[1].next();
jobs[2].next();
for (const job of jobs) job.next(); // resume each one: the busy-waits run one after another
console.log(`${now()} ms: all done`);
"#;
