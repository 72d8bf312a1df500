//! The preset programs: each has a stable id, Python and JavaScript listings, an English
//! and a Chinese explanation, and a builder for the ops the simulator runs.

mod listings;

use super::program::{Awaitable, Expr, LoopLines, Op, Program, ProgramBuilder, SpawnStyle};
use listings::*;
use serde::Serialize;

/// A preset as the page lists it.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PresetInfo {
    pub id: &'static str,
    pub title: &'static str,
    pub python: &'static str,
    pub javascript: &'static str,
    pub explanation: &'static str,
    pub explanation_zh: &'static str,
    #[serde(skip)]
    pub build: fn() -> Program,
}

/// Every preset, in the order the page offers them.
impl PresetInfo {
    /// The title in the page's language (`title` stays English for the console).
    pub fn label(&self) -> String {
        match self.id {
            "print-sum" => t!("event_loop.preset.print-sum"),
            "future-handoff" => t!("event_loop.preset.future-handoff"),
            "create-task" => t!("event_loop.preset.create-task"),
            "js-order" => t!("event_loop.preset.js-order"),
            "generator-pingpong" => t!("event_loop.preset.generator-pingpong"),
            "greenlet" => t!("event_loop.preset.greenlet"),
            "gevent" => t!("event_loop.preset.gevent"),
            "downloads-generator" => t!("event_loop.preset.downloads-generator"),
            "downloads-greenlet" => t!("event_loop.preset.downloads-greenlet"),
            _ => return self.title.to_string(),
        }
        .to_string()
    }
}

pub const PRESETS: &[PresetInfo] = &[
    PresetInfo {
        id: "print-sum",
        title: "Awaiting a coroutine: print_sum → compute",
        python: PRINT_SUM_PY,
        javascript: PRINT_SUM_JS,
        explanation: "asyncio.run starts an event loop and runs print_sum as its first task. \
            `await compute(1, 2)` creates no task: compute's frame is pushed on top of \
            print_sum's inside the same task, as in an ordinary call. When compute reaches \
            `await asyncio.sleep(1)`, the whole task, both frames, is parked and a timer goes \
            on the heap; with nothing else to run, the loop moves the clock straight to \
            1000 ms. The timer wakes the task, compute returns 3 into print_sum, and only \
            when the task is done does asyncio.run return, so \"end\" comes last.",
        explanation_zh: "asyncio.run 启动事件循环，把 print_sum 作为第一个任务运行。\
            `await compute(1, 2)` 不会创建新任务：compute 的栈帧直接压在 print_sum 之上，\
            和普通函数调用一样，都在同一个任务里。compute 执行到 `await asyncio.sleep(1)` 时，\
            整个任务（两个栈帧）被挂起，一个定时器进入定时器堆；循环此时无事可做，\
            便把时钟直接拨到 1000 ms。定时器唤醒任务，compute 把 3 返回给 print_sum；\
            直到任务结束 asyncio.run 才返回，所以 \"end\" 最后打印。",
        build: print_sum,
    },
    PresetInfo {
        id: "future-handoff",
        title: "Handing a result over through a Future",
        python: FUTURE_HANDOFF_PY,
        javascript: FUTURE_HANDOFF_JS,
        explanation: "A Future is a box for a result that does not exist yet. gather wraps both \
            coroutines in tasks: the producer runs first and goes to sleep, then the consumer \
            awaits the empty Future and is parked. Nothing can run, so the clock jumps to \
            1000 ms. The producer wakes and calls set_result(\"data\"). That does not run the \
            consumer on the spot; it only queues the consumer's wake-up, so the producer \
            finishes its own line first. In JavaScript the same hand-over is a Promise whose \
            resolve function was kept aside.",
        explanation_zh: "Future 是一个装“尚未产生的结果”的盒子。gather 把两个协程都包装成任务：\
            producer 先运行并进入睡眠，接着 consumer await 这个空的 Future 并被挂起。\
            此时没有任何可运行的东西，时钟直接跳到 1000 ms。producer 醒来后调用 \
            set_result(\"data\")：这不会立刻运行 consumer，只是把 consumer 的唤醒排进队列，\
            所以 producer 先打印完自己的那一行。在 JavaScript 里，同样的交接是一个把 \
            resolve 函数另外保存起来的 Promise。",
        build: future_handoff,
    },
    PresetInfo {
        id: "create-task",
        title: "Awaiting one by one vs. creating tasks first",
        python: CREATE_TASK_PY,
        javascript: CREATE_TASK_JS,
        explanation: "Awaiting a coroutine directly runs it to the end before the next line \
            starts, so two 1-second sleeps take 2000 ms. create_task schedules each coroutine \
            as a task of its own at once; both start sleeping on the loop's next turn, both \
            timers come due at the same moment, and the pair takes 1000 ms. Nothing got \
            faster: the waits overlapped. In JavaScript, calling an async function already \
            starts it, so keeping the promises and awaiting them later does the same.",
        explanation_zh: "直接 await 一个协程，会等它完整运行结束才执行下一行，所以两次 1 秒的 \
            sleep 一共需要 2000 ms。create_task 则立即把每个协程调度为独立的任务；它们在循环\
            的下一轮都开始睡眠，两个定时器同时到期，总共只要 1000 ms。工作本身并没有变快，\
            只是等待重叠了。在 JavaScript 中，调用 async 函数时它就已经开始执行，\
            所以先保存 promise、稍后再 await，效果相同。",
        build: create_task,
    },
    PresetInfo {
        id: "js-order",
        title: "JavaScript ordering puzzle: microtasks before timers",
        python: JS_ORDER_PY,
        javascript: JS_ORDER_JS,
        explanation: "The script is itself one macrotask and runs to its end first: \
            \"script start\"; the timer goes on the heap (due at once, yet its callback must \
            wait for a macrotask of its own); the first then-reaction goes straight to the \
            microtask queue because the promise is already resolved; \"script end\". After \
            every macrotask the browser empties the microtask queue, including microtasks \
            queued while it empties it: promise1 runs, the promise it returns resolves, \
            promise2 is queued and runs too. Only then does the loop take the timer's \
            callback. The Python column is a transliteration: asyncio has one ready queue and \
            no microtasks, so real asyncio prints setTimeout before promise2.",
        explanation_zh: "脚本本身就是一个宏任务，会先完整运行：打印 \"script start\"；\
            定时器进入定时器堆（虽然立即到期，但它的回调必须等待属于自己的宏任务）；\
            由于 Promise 已经 resolve，第一个 then 回调直接进入微任务队列；然后打印 \
            \"script end\"。每个宏任务结束后，浏览器都会清空微任务队列，包括清空过程中新加入\
            的微任务：promise1 运行，它返回的 promise 随之 resolve，promise2 入队并同样被执行。\
            之后循环才取出定时器的回调。Python 一栏只是对照翻译：asyncio 只有一个就绪队列、\
            没有微任务，所以真实的 asyncio 会先打印 setTimeout，再打印 promise2。",
        build: js_order,
    },
    PresetInfo {
        id: "generator-pingpong",
        title: "Generator ping-pong with send()",
        python: PINGPONG_PY,
        javascript: PINGPONG_JS,
        explanation: "A generator is a function that can stop halfway and be resumed later. \
            There is no event loop here: control moves only when one side hands it over. \
            next(gen) runs the consumer up to its first yield. Each gen.send(n) puts the \
            producer on hold and hands control and n to the consumer, whose yield expression \
            evaluates to n; the consumer prints and reaches yield again, which hands control \
            and \"200 OK\" back to the producer as the value of send(). While the generator \
            runs, its frame sits on top of the producer's; close() ends it at the yield where \
            it is parked.",
        explanation_zh: "生成器是可以在中途停下、之后再继续执行的函数。这里没有事件循环：\
            只有某一方主动交出，控制权才会转移。next(gen) 让 consumer 运行到第一个 yield。\
            每次 gen.send(n) 都让 producer 暂停，把控制权和 n 一起交给 consumer，\
            consumer 的 yield 表达式的值就是 n；consumer 打印后再次遇到 yield，\
            把控制权和 \"200 OK\" 交回 producer，作为 send() 的返回值。生成器运行时，\
            它的栈帧压在 producer 的栈帧之上；close() 在它暂停的那个 yield 处将其结束。",
        build: generator_pingpong,
    },
    PresetInfo {
        id: "greenlet",
        title: "Greenlets: switching by hand",
        python: GREENLET_PY,
        javascript: GREENLET_JS,
        explanation: "A greenlet is a coroutine with a whole stack of its own, so it can pause \
            inside any nested call, not only at a yield. Nothing switches unless the code \
            calls switch(): ping hands control to pong, pong hands it back, and each resumes \
            exactly where it froze. When a greenlet's function returns, control goes to its \
            parent, the greenlet that created it (here main), not to whoever switched to it \
            last. That is why main runs again while pong is still suspended, and has to \
            switch to pong once more to let it finish.",
        explanation_zh: "greenlet 是拥有一整个独立栈的协程，因此可以在任意嵌套调用中暂停，\
            而不只是在 yield 处。除非代码调用 switch()，否则不会发生切换：ping 把控制权交给 \
            pong，pong 再交还给 ping，每一方都从冻结的地方原样继续。greenlet 的函数返回时，\
            控制权回到它的父 greenlet，也就是创建它的那个（这里是 main），\
            而不是最后切换到它的那个。所以 pong 还挂起时 main 就先恢复运行了，\
            还得再切换到 pong 一次，让它执行完。",
        build: greenlet,
    },
    PresetInfo {
        id: "gevent",
        title: "gevent: three downloads that switch by themselves",
        python: GEVENT_PY,
        javascript: GEVENT_JS,
        explanation: "gevent is greenlets plus an event loop called the hub. After \
            monkey.patch_all(), a call that looks blocking, such as time.sleep or a socket \
            read, registers its wait with the hub and switches to it; the hub runs whichever \
            greenlet is ready and switches back when the wait is over. There is no await \
            anywhere, yet the three downloads wait at the same time: all start at 0 ms, the \
            1 s one ends at 1000 ms, the 2 s one at 2000 ms and the 3 s one at 3000 ms, so \
            the whole job takes about 3 s instead of 6 s.",
        explanation_zh: "gevent 就是 greenlet 加上一个名为 hub 的事件循环。执行 \
            monkey.patch_all() 之后，像 time.sleep 或读取 socket 这样看似阻塞的调用，\
            会把等待登记到 hub 并切换过去；hub 运行已经就绪的 greenlet，等待结束后再切换回来。\
            代码里没有任何 await，三个下载却在同时等待：都在 0 ms 开始，1 秒的在 1000 ms 结束，\
            2 秒的在 2000 ms，3 秒的在 3000 ms，整个任务大约 3 秒而不是 6 秒。",
        build: gevent,
    },
    PresetInfo {
        id: "downloads-generator",
        title: "The three downloads with generators and a hand-written scheduler",
        python: DOWNLOADS_GENERATOR_PY,
        javascript: DOWNLOADS_GENERATOR_JS,
        explanation: "The same three downloads with nothing but generators and a small \
            scheduler. Each download yields how long it wants to wait; the scheduler keeps a \
            heap of wake-up times, resumes whichever generator is due next and sleeps only \
            when nobody is. asyncio grew out of this idea: a yield is a point where a task \
            gives control back, and the loop decides who runs next. The timeline matches \
            gevent's: about 3 s in all.",
        explanation_zh: "同样的三个下载，只用生成器和一个小调度器实现。每个下载用 yield \
            告诉调度器自己要等多久；调度器维护一个唤醒时间的堆，恢复下一个到期的生成器，\
            只有在谁都没到期时才休眠。asyncio 正是从这个思路发展而来：yield 是任务交还控制权\
            的地方，由循环决定下一个运行谁。时间线与 gevent 相同：总共约 3 秒。",
        build: downloads_generator,
    },
    PresetInfo {
        id: "downloads-greenlet",
        title: "The three downloads with greenlets switched by hand",
        python: DOWNLOADS_GREENLET_PY,
        javascript: DOWNLOADS_GREENLET_JS,
        explanation: "Greenlets switched by hand, with ordinary blocking IO and no hub. Each \
            download starts and switches back to main, so all three have started at 0 ms. \
            But time.sleep is not patched here: once main switches into a download, the call \
            blocks the only thread and nobody else runs until it returns. The downloads end \
            at 3000, 4000 and 6000 ms. Switching by hand decides who runs; it does not make \
            waits overlap. That is what gevent's hub and monkey-patching add.",
        explanation_zh: "手动切换的 greenlet，但使用普通的阻塞 IO，也没有 hub。每个下载开始后\
            都切回 main，所以三个都在 0 ms 开始了。但这里的 time.sleep 没有被打补丁：\
            main 切换进某个下载后，这个调用会阻塞唯一的线程，在它返回之前谁都无法运行。\
            三个下载分别在 3000、4000 和 6000 ms 结束。手动切换只决定“谁来运行”，\
            并不能让等待重叠；这正是 gevent 的 hub 和 monkey patch 所补上的。",
        build: downloads_greenlet,
    },
];

/// Every preset, in the order the page offers them.
/// The preset ids in menu order: documented in the README and kept stable, since links and
/// `lab.run("loop-model", {preset})` calls name them. A test checks `PRESETS` against it.
#[cfg(test)]
pub const STABLE_IDS: [&str; 9] = [
    "print-sum",
    "future-handoff",
    "create-task",
    "js-order",
    "generator-pingpong",
    "greenlet",
    "gevent",
    "downloads-generator",
    "downloads-greenlet",
];

pub fn presets() -> &'static [PresetInfo] {
    PRESETS
}

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static PresetInfo> {
    PRESETS.iter().find(|p| p.id == id)
}

// ----- small constructors that keep the builders readable -----

fn s(text: &str) -> Expr {
    Expr::str(text)
}

fn v(name: &str) -> Expr {
    Expr::var(name)
}

fn print(parts: impl IntoIterator<Item = Expr>) -> Op {
    Op::Print(Expr::concat(parts))
}

fn say(text: &str) -> Op {
    Op::Print(s(text))
}

fn sleep_ms(ms: Expr) -> Op {
    Op::Await {
        what: Awaitable::Sleep { ms },
        bind: None,
    }
}

fn bind(name: &str) -> Option<String> {
    Some(name.to_string())
}

/// `{now()} ms: {name} <what>`, the timestamped line the download presets print.
fn stamped(what: &str) -> Op {
    print([Expr::Now, s(" ms: "), v("name"), s(what)])
}

fn all_loop_lines(b: &mut ProgramBuilder, python: &str, javascript: &str) {
    let picks: [fn(&mut LoopLines) -> &mut super::program::Lines; 4] = [
        |l| &mut l.advance_clock,
        |l| &mut l.timer_fires,
        |l| &mut l.macrotask,
        |l| &mut l.microtask,
    ];
    for pick in picks {
        b.loop_lines(pick, python, javascript);
    }
}

// ----- the programs -----

fn print_sum() -> Program {
    let mut b = ProgramBuilder::new(PRINT_SUM_PY, PRINT_SUM_JS);
    b.routine(
        "compute",
        &["x", "y"],
        "async def compute",
        "async function compute",
    )
    .op(
        "print(f\"Compute",
        "console.log(`Compute",
        print([s("Compute "), v("x"), s(" + "), v("y"), s(" ...")]),
    )
    .op(
        "await asyncio.sleep",
        "await sleep(",
        sleep_ms(Expr::int(1000)),
    )
    .op("return x + y", "return x + y", Op::Return(v("x") + v("y")));
    b.routine(
        "print_sum",
        &["x", "y"],
        "async def print_sum",
        "async function printSum",
    )
    .op(
        "result = await compute",
        "const result = await compute",
        Op::Await {
            what: Awaitable::Call {
                routine: "compute".into(),
                args: vec![v("x"), v("y")],
            },
            bind: bind("result"),
        },
    )
    .op(
        "print(f\"{x} + {y}",
        "console.log(`${x} + ${y}",
        print([v("x"), s(" + "), v("y"), s(" = "), v("result")]),
    );
    b.script("print(\"start\")", "console.log(\"start\")")
        .op("print(\"start\")", "console.log(\"start\")", say("start"))
        .op(
            "asyncio.run(",
            "await printSum(",
            Op::Run {
                routine: "print_sum".into(),
                args: vec![Expr::int(1), Expr::int(2)],
                bind: None,
            },
        )
        .op("print(\"end\")", "console.log(\"end\")", say("end"));
    all_loop_lines(&mut b, "asyncio.run(", "");
    b.loop_lines(|l| &mut l.timer_fires, "asyncio.run(", "setTimeout(resolve");
    b.finish()
}

fn future_handoff() -> Program {
    let mut b = ProgramBuilder::new(FUTURE_HANDOFF_PY, FUTURE_HANDOFF_JS);
    b.routine(
        "producer",
        &["fut"],
        "async def producer",
        "async function producer",
    )
    .op(
        "print(\"producer: working",
        "console.log(\"producer: working",
        say("producer: working for 1 s"),
    )
    .op(
        "await asyncio.sleep(1)",
        "await sleep(1000)",
        sleep_ms(Expr::int(1000)),
    )
    .op(
        "fut.set_result(",
        "fut.resolve(",
        Op::SetResult {
            future: v("fut"),
            value: s("data"),
        },
    )
    .op(
        "print(\"producer: result set",
        "console.log(\"producer: result set",
        say("producer: result set"),
    );
    b.routine(
        "consumer",
        &["fut"],
        "async def consumer",
        "async function consumer",
    )
    .op(
        "print(\"consumer: waiting",
        "console.log(\"consumer: waiting",
        say("consumer: waiting for the future"),
    )
    .op(
        "value = await fut",
        "const value = await fut.promise",
        Op::Await {
            what: Awaitable::Handle(v("fut")),
            bind: bind("value"),
        },
    )
    .op(
        "print(f\"consumer: got",
        "console.log(`consumer: got",
        print([s("consumer: got "), v("value")]),
    );
    let call = |routine: &str| Awaitable::Call {
        routine: routine.into(),
        args: vec![v("fut")],
    };
    b.routine("main", &[], "async def main", "async function main")
        .op(
            "fut = asyncio.get_running_loop()",
            "fut.promise = new Promise",
            Op::NewFuture { bind: "fut".into() },
        )
        .op(
            "await asyncio.gather(",
            "await Promise.all(",
            Op::Await {
                what: Awaitable::Gather(vec![call("producer"), call("consumer")]),
                bind: None,
            },
        );
    b.script("asyncio.run(main())", "await main()").op(
        "asyncio.run(main())",
        "await main()",
        Op::Run {
            routine: "main".into(),
            args: vec![],
            bind: None,
        },
    );
    all_loop_lines(&mut b, "asyncio.run(main())", "");
    b.loop_lines(
        |l| &mut l.timer_fires,
        "asyncio.run(main())",
        "setTimeout(resolve",
    );
    b.finish()
}

fn create_task() -> Program {
    let mut b = ProgramBuilder::new(CREATE_TASK_PY, CREATE_TASK_JS);
    b.routine(
        "fetch",
        &["name"],
        "async def fetch",
        "async function fetchItem",
    )
    .op(
        "await asyncio.sleep(1)",
        "await sleep(1000)",
        sleep_ms(Expr::int(1000)),
    )
    .op(
        "print(f\"{now()} ms: {name} ready",
        "console.log(`${now()} ms: ${name} ready",
        print([Expr::Now, s(" ms: "), v("name"), s(" ready")]),
    );
    let fetch = |name: &str| Awaitable::Call {
        routine: "fetch".into(),
        args: vec![s(name)],
    };
    let spawn = |name: &str, var: &str| Op::Spawn {
        routine: "fetch".into(),
        args: vec![s(name)],
        bind: bind(var),
        style: SpawnStyle::Task,
        name: Some(var.into()),
    };
    let await_handle = |var: &str| Op::Await {
        what: Awaitable::Handle(v(var)),
        bind: None,
    };
    let took = |what: &str| print([s(what), Expr::Now - v("start"), s(" ms")]);
    let mark_start = || Op::Let {
        var: "start".into(),
        value: Expr::Now,
    };
    b.routine("main", &[], "async def main", "async function main")
        .op("start = now()", "let start = now()", mark_start())
        .op(
            "await fetch(\"A\")",
            "await fetchItem(\"A\")",
            Op::Await {
                what: fetch("A"),
                bind: None,
            },
        )
        .op(
            "await fetch(\"B\")",
            "await fetchItem(\"B\")",
            Op::Await {
                what: fetch("B"),
                bind: None,
            },
        )
        .op(
            "print(f\"awaiting one by one",
            "console.log(`awaiting one by one",
            took("awaiting one by one took "),
        )
        .op("start = now()", "start = now()", mark_start())
        .op(
            "task_a = asyncio.create_task",
            "const taskA =",
            spawn("A", "task_a"),
        )
        .op(
            "task_b = asyncio.create_task",
            "const taskB =",
            spawn("B", "task_b"),
        )
        .op("await task_a", "await taskA", await_handle("task_a"))
        .op("await task_b", "await taskB", await_handle("task_b"))
        .op(
            "print(f\"two tasks took",
            "console.log(`two tasks took",
            took("two tasks took "),
        );
    b.script("asyncio.run(main())", "await main()").op(
        "asyncio.run(main())",
        "await main()",
        Op::Run {
            routine: "main".into(),
            args: vec![],
            bind: None,
        },
    );
    all_loop_lines(&mut b, "asyncio.run(main())", "");
    b.loop_lines(
        |l| &mut l.timer_fires,
        "asyncio.run(main())",
        "setTimeout(resolve",
    );
    b.finish()
}

fn js_order() -> Program {
    let mut b = ProgramBuilder::new(JS_ORDER_PY, JS_ORDER_JS);
    b.routine(
        "on_timeout",
        &[],
        "loop.call_later(0, print",
        "setTimeout(() => {",
    )
    .op(
        "loop.call_later(0, print",
        "console.log(\"setTimeout\")",
        say("setTimeout"),
    );
    b.routine("promise1", &[], "def promise1", ".then(() => {")
        .op(
            "print(\"promise1\")",
            "console.log(\"promise1\")",
            say("promise1"),
        );
    b.routine("promise2", &[], "def promise2", "^.then(() => {")
        .op(
            "print(\"promise2\")",
            "console.log(\"promise2\")",
            say("promise2"),
        );
    b.script("print(\"script start\")", "console.log(\"script start\")")
        .op(
            "print(\"script start\")",
            "console.log(\"script start\")",
            say("script start"),
        )
        .op(
            "loop.call_later(0, print",
            "setTimeout(() => {",
            Op::SetTimeout {
                ms: Expr::int(0),
                routine: "on_timeout".into(),
            },
        )
        .op(
            "loop.call_soon(promise1)",
            "Promise.resolve()",
            Op::PromiseResolve {
                value: Expr::none(),
                bind: "resolved".into(),
            },
        )
        .op(
            "loop.call_soon(promise1)",
            ".then(() => {",
            Op::PromiseThen {
                promise: v("resolved"),
                routine: "promise1".into(),
                bind: bind("after_promise1"),
            },
        )
        .op(
            "",
            "^.then(() => {",
            Op::PromiseThen {
                promise: v("after_promise1"),
                routine: "promise2".into(),
                bind: None,
            },
        )
        .op(
            "print(\"script end\")",
            "console.log(\"script end\")",
            say("script end"),
        );
    all_loop_lines(&mut b, "loop.run_forever()", "");
    b.finish()
}

fn generator_pingpong() -> Program {
    let mut b = ProgramBuilder::new(PINGPONG_PY, PINGPONG_JS);
    // Op indices matter here: the loops jump to them.
    b.routine("consumer", &[], "def consumer", "function* consumer")
        .op(
            "answer = None",
            "let answer = null",
            Op::Let {
                var: "answer".into(),
                value: Expr::none(),
            },
        )
        // 1: the top of the `while True` loop.
        .op(
            "item = yield answer",
            "const item = yield answer",
            Op::Yield {
                value: v("answer"),
                bind: bind("item"),
            },
        )
        .op(
            "if item is None",
            "if (item === undefined)",
            Op::JumpIf {
                cond: Expr::is_none(v("item")),
                to: 6,
            },
        )
        .op(
            "print(f\"consumer got",
            "console.log(`consumer got",
            print([s("consumer got "), v("item")]),
        )
        .op(
            "answer = \"200 OK\"",
            "answer = \"200 OK\"",
            Op::Let {
                var: "answer".into(),
                value: s("200 OK"),
            },
        )
        .op("while True", "while (true)", Op::Jump { to: 1 })
        // 6: `return`.
        .op(
            "return",
            "if (item === undefined)",
            Op::Return(Expr::none()),
        );
    let counting = "for item in range";
    let counting_js = "for (let item = 1";
    b.routine("producer", &["gen"], "def producer", "function producer")
        .op(
            "next(gen)",
            "gen.next();",
            Op::Send {
                generator: v("gen"),
                value: Expr::none(),
                bind: None,
            },
        )
        .op(
            counting,
            counting_js,
            Op::Let {
                var: "item".into(),
                value: Expr::int(1),
            },
        )
        // 2: the loop test.
        .op(
            counting,
            counting_js,
            Op::JumpIf {
                cond: !Expr::less(v("item"), Expr::int(4)),
                to: 8,
            },
        )
        .op(
            "print(f\"producer sends",
            "console.log(`producer sends",
            print([s("producer sends "), v("item")]),
        )
        .op(
            "reply = gen.send(item)",
            "const reply = gen.next(item)",
            Op::Send {
                generator: v("gen"),
                value: v("item"),
                bind: bind("reply"),
            },
        )
        .op(
            "print(f\"producer hears",
            "console.log(`producer hears",
            print([s("producer hears "), v("reply")]),
        )
        .op(
            counting,
            counting_js,
            Op::Let {
                var: "item".into(),
                value: v("item") + Expr::int(1),
            },
        )
        .op(counting, counting_js, Op::Jump { to: 2 })
        // 8: after the loop.
        .op(
            "gen.close()",
            "gen.return()",
            Op::Close {
                generator: v("gen"),
            },
        );
    b.script("producer(consumer())", "producer(consumer())")
        .op(
            "producer(consumer())",
            "producer(consumer())",
            Op::NewGenerator {
                routine: "consumer".into(),
                args: vec![],
                bind: "gen".into(),
                name: None,
            },
        )
        .op(
            "producer(consumer())",
            "producer(consumer())",
            Op::Call {
                routine: "producer".into(),
                args: vec![v("gen")],
                bind: None,
            },
        );
    b.finish()
}

fn greenlet() -> Program {
    let mut b = ProgramBuilder::new(GREENLET_PY, GREENLET_JS);
    let switch = |var: &str| Op::Switch {
        greenlet: v(var),
        args: vec![],
        bind: None,
    };
    b.routine("ping", &[], "def ping", "function* ping")
        .op(
            "print(\"ping: serve\")",
            "console.log(\"ping: serve\")",
            say("ping: serve"),
        )
        .op("pong_g.switch()", "yield \"pong\"", switch("pong_g"))
        .op(
            "print(\"ping: return\")",
            "console.log(\"ping: return\")",
            say("ping: return"),
        )
        .op("^pong_g.switch()", "^yield \"pong\"", switch("pong_g"))
        .op(
            "print(\"ping: done\")",
            "console.log(\"ping: done\")",
            say("ping: done"),
        );
    b.routine("pong", &[], "def pong", "function* pong")
        .op(
            "print(\"pong: receive\")",
            "console.log(\"pong: receive\")",
            say("pong: receive"),
        )
        .op("ping_g.switch()", "yield \"ping\"", switch("ping_g"))
        .op(
            "print(\"pong: smash\")",
            "console.log(\"pong: smash\")",
            say("pong: smash"),
        )
        .op("^ping_g.switch()", "^yield \"ping\"", switch("ping_g"))
        .op(
            "print(\"pong: done\")",
            "console.log(\"pong: done\")",
            say("pong: done"),
        );
    let create = |routine: &str, var: &str| Op::NewGreenlet {
        routine: routine.into(),
        bind: var.into(),
        name: Some(routine.into()),
    };
    b.script("ping_g = greenlet(ping)", "greenlets.ping = ping()")
        .op(
            "ping_g = greenlet(ping)",
            "greenlets.ping = ping()",
            create("ping", "ping_g"),
        )
        .op(
            "pong_g = greenlet(pong)",
            "greenlets.pong = pong()",
            create("pong", "pong_g"),
        )
        .op("ping_g.switch()", "switchTo(\"ping\")", switch("ping_g"))
        .op(
            "print(\"main: ping has finished",
            "console.log(\"main: ping has finished",
            say("main: ping has finished, pong is still suspended"),
        )
        .op("pong_g.switch()", "switchTo(\"pong\")", switch("pong_g"))
        .op(
            "print(\"main: all done\")",
            "console.log(\"main: all done\")",
            say("main: all done"),
        );
    b.finish()
}

/// The three downloads all presets of that family share: (name, seconds of IO).
const DOWNLOADS: [(&str, i64); 3] = [("a.html", 3), ("b.html", 1), ("c.html", 2)];

fn job_var(index: usize) -> String {
    format!("jobs[{index}]")
}

fn join_all() -> Awaitable {
    Awaitable::Gather(
        (0..DOWNLOADS.len())
            .map(|i| Awaitable::Handle(v(&job_var(i))))
            .collect(),
    )
}

fn stamped_lines() -> [(&'static str, &'static str); 2] {
    [
        (
            "print(f\"{now()} ms: {name} start\")",
            "console.log(`${now()} ms: ${name} start`)",
        ),
        (
            "print(f\"{now()} ms: {name} done\")",
            "console.log(`${now()} ms: ${name} done`)",
        ),
    ]
}

fn gevent() -> Program {
    let mut b = ProgramBuilder::new(GEVENT_PY, GEVENT_JS);
    let [start, done] = stamped_lines();
    b.routine(
        "download",
        &["name", "seconds"],
        "def download",
        "async function download",
    )
    .op(start.0, start.1, stamped(" start"))
    .op(
        "time.sleep(seconds)",
        "await sleep(seconds * 1000)",
        sleep_ms(v("seconds") * Expr::int(1000)),
    )
    .op(done.0, done.1, stamped(" done"));
    let mut script = b.script("jobs = [", "const jobs = [");
    for (i, (name, seconds)) in DOWNLOADS.iter().enumerate() {
        let python = format!("gevent.spawn(download, \"{name}\"");
        script.op(
            &python,
            "const jobs = [",
            Op::Spawn {
                routine: "download".into(),
                args: vec![s(name), Expr::int(*seconds)],
                bind: Some(job_var(i)),
                style: SpawnStyle::Gevent,
                name: Some((*name).into()),
            },
        );
    }
    script
        .op(
            "gevent.joinall(jobs)",
            "await Promise.all(jobs)",
            Op::Await {
                what: join_all(),
                bind: None,
            },
        )
        .op(
            "print(f\"{now()} ms: all done\")",
            "console.log(`${now()} ms: all done`)",
            print([Expr::Now, s(" ms: all done")]),
        );
    all_loop_lines(&mut b, "gevent.joinall(jobs)", "");
    b.loop_lines(
        |l| &mut l.timer_fires,
        "gevent.joinall(jobs)",
        "setTimeout(resolve",
    );
    b.finish()
}

fn downloads_generator() -> Program {
    let mut b = ProgramBuilder::new(DOWNLOADS_GENERATOR_PY, DOWNLOADS_GENERATOR_JS);
    let [start, done] = stamped_lines();
    b.routine(
        "download",
        &["name", "seconds"],
        "def download",
        "function* download",
    )
    .op(start.0, start.1, stamped(" start"))
    .op(
        "yield seconds",
        "yield seconds",
        sleep_ms(v("seconds") * Expr::int(1000)),
    )
    .op(done.0, done.1, stamped(" done"));
    let mut script = b.script("run([download(", "await run([download(");
    for (i, (name, seconds)) in DOWNLOADS.iter().enumerate() {
        script.op(
            "run([download(",
            "await run([download(",
            Op::Spawn {
                routine: "download".into(),
                args: vec![s(name), Expr::int(*seconds)],
                bind: Some(job_var(i)),
                style: SpawnStyle::Generator,
                name: Some((*name).into()),
            },
        );
    }
    script
        .op(
            "run([download(",
            "await run([download(",
            Op::Await {
                what: join_all(),
                bind: None,
            },
        )
        .op(
            "print(f\"{now()} ms: all done\")",
            "console.log(`${now()} ms: all done`)",
            print([Expr::Now, s(" ms: all done")]),
        );
    b.loop_lines(
        |l| &mut l.advance_clock,
        "time.sleep(max(",
        "setTimeout(() => resume(gen)",
    )
    .loop_lines(
        |l| &mut l.timer_fires,
        "heapq.heappop(timers)",
        "setTimeout(() => resume(gen)",
    )
    .loop_lines(
        |l| &mut l.macrotask,
        "delay = next(gen)",
        "const { value, done } = gen.next()",
    );
    b.finish()
}

fn downloads_greenlet() -> Program {
    let mut b = ProgramBuilder::new(DOWNLOADS_GREENLET_PY, DOWNLOADS_GREENLET_JS);
    let [start, done] = stamped_lines();
    b.routine(
        "download",
        &["name", "seconds"],
        "def download",
        "function* download",
    )
    .op(start.0, start.1, stamped(" start"))
    .op(
        "main.switch()",
        "yield;",
        Op::Switch {
            greenlet: v("main"),
            args: vec![],
            bind: None,
        },
    )
    .op(
        "time.sleep(seconds)",
        "blockingSleep(seconds * 1000);",
        Op::BlockingSleep {
            ms: v("seconds") * Expr::int(1000),
        },
    )
    .op(done.0, done.1, stamped(" done"));
    let mut script = b.script("main = getcurrent()", "const jobs = [");
    script.op(
        "main = getcurrent()",
        "",
        Op::GetCurrent {
            bind: "main".into(),
        },
    );
    for (i, (name, _)) in DOWNLOADS.iter().enumerate() {
        script.op(
            "jobs = [greenlet(download)",
            "const jobs = [",
            Op::NewGreenlet {
                routine: "download".into(),
                bind: job_var(i),
                name: Some((*name).into()),
            },
        );
    }
    for (i, (name, seconds)) in DOWNLOADS.iter().enumerate() {
        let var = job_var(i);
        let python = format!("{var}.switch(");
        let javascript = format!("{var}.next()");
        script.op(
            &python,
            &javascript,
            Op::Switch {
                greenlet: v(&var),
                args: vec![s(name), Expr::int(*seconds)],
                bind: None,
            },
        );
    }
    for i in 0..DOWNLOADS.len() {
        script.op(
            "job.switch()",
            "for (const job of jobs)",
            Op::Switch {
                greenlet: v(&job_var(i)),
                args: vec![],
                bind: None,
            },
        );
    }
    script.op(
        "print(f\"{now()} ms: all done\")",
        "console.log(`${now()} ms: all done`)",
        print([Expr::Now, s(" ms: all done")]),
    );
    b.finish()
}
