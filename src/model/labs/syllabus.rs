//! The notes' syllabus: every concept, claim or example of the study notes, and the lab that
//! shows it (or will). The home page renders this table and each lab card lists its rows.
//!
//! **Invariant:** a row is marked shown only where the lab really runs or models it; tests in
//! `labs/tests.rs` check that every lab named exists or is one of [`PLANNED_LABS`].

/// How far a lab shows a concept today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Runnable in the first lab of [`Concept::labs`].
    Yes,
    /// Shown in part; `Concept::gap` says what is missing.
    Partly,
    /// Not yet: the first of [`Concept::labs`] is the planned lab that will show it.
    Planned,
}

/// One row of the syllabus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Concept {
    pub en: &'static str,
    pub zh: &'static str,
    /// Which notes (000–004) it comes from.
    pub notes: &'static str,
    /// Lab ids, the owner first.
    pub labs: &'static [&'static str],
    pub shown: Shown,
    /// For `Partly` and `Planned`: what is still missing, in a few words.
    pub gap: &'static str,
}

/// Labs the syllabus names that do not exist yet, with their titles.
pub const PLANNED_LABS: [(&str, &str); 0] = [];

impl Concept {
    /// What is missing where the concept is shown in part, in the page's language.
    pub fn gap_text(&self) -> String {
        self.gap_text_in(&rust_i18n::locale())
    }

    /// [`Concept::gap_text`] in `locale`; a gap without a translation reads as its English.
    pub fn gap_text_in(&self, locale: &str) -> String {
        match self.gap {
            "a browser cannot fork: the lab spawns (a fresh instance) and measures its start-up" => {
                t!("syllabus.gap_fork", locale = locale)
            }
            "both spellings are listed; only async/await runs" => t!("syllabus.gap_coroutine_spellings", locale = locale),
            other => return other.to_string(),
        }
        .to_string()
    }
}

const fn row(
    en: &'static str,
    zh: &'static str,
    notes: &'static str,
    labs: &'static [&'static str],
    shown: Shown,
    gap: &'static str,
) -> Concept {
    Concept {
        en,
        zh,
        notes,
        labs,
        shown,
        gap,
    }
}

use Shown::{Partly, Yes};

/// Every concept, grouped as the notes group them.
pub static SYLLABUS: &[Concept] = &[
    // Processes, threads, coroutines
    row(
        "A process owns resources: its own address space, program and data",
        "进程是资源分配的单位：独立的地址空间、程序与数据",
        "000-004",
        &["processes"],
        Yes,
        "",
    ),
    row(
        "Process states: new, ready, running, blocked, terminated",
        "进程的状态：新建、就绪、运行、阻塞、终止",
        "001, 002",
        &["processes"],
        Yes,
        "",
    ),
    row(
        "A thread is the unit of scheduling and shares its process's memory",
        "线程是调度的单位，共享所属进程的内存",
        "000-004",
        &["shared-memory", "cores"],
        Yes,
        "",
    ),
    row(
        "A coroutine switches inside one thread, where the program says",
        "协程在一个线程内切换，由程序而非操作系统决定",
        "002, 003",
        &["event-loop"],
        Yes,
        "",
    ),
    row(
        "Cores vs logical cores; what a browser can and cannot tell",
        "物理核与逻辑核（超线程）；浏览器能看到什么",
        "000",
        &["cores"],
        Yes,
        "",
    ),
    row(
        "Concurrency vs parallelism: one core runs one thread at a time",
        "并发与并行：一个核同一时刻只运行一个线程",
        "000-004",
        &["cores"],
        Yes,
        "",
    ),
    row(
        "CPU meter: N busy native threads ≈ N × 100 % (at most the cores)",
        "CPU 占用率：N 个忙线程约 N × 100 %（不超过核数）",
        "004",
        &["cores", "gil"],
        Yes,
        "",
    ),
    row(
        "Thread(target, args, name), current_thread, the main thread",
        "Thread(target, args, name)、current_thread 与主线程",
        "004",
        &["processes"],
        Yes,
        "",
    ),
    row(
        "join (with a timeout), daemon threads, when a program exits",
        "join（带超时）、守护线程、程序何时退出",
        "001, 002, 004",
        &["processes"],
        Yes,
        "",
    ),
    row(
        "ThreadLocal: arguments, a dict keyed by thread, threading.local",
        "ThreadLocal：传参、按线程索引的字典、threading.local",
        "004",
        &["processes"],
        Yes,
        "",
    ),
    row(
        "Creation and switch cost: process ≫ thread ≫ coroutine",
        "创建与切换开销：进程 ≫ 线程 ≫ 协程",
        "003, 004",
        &["processes"],
        Yes,
        "",
    ),
    row(
        "Thousands of threads: memory, switching, thrashing",
        "成千上万个线程：内存、切换与“假死”",
        "002, 004",
        &["gil", "cores"],
        Yes,
        "",
    ),
    row(
        "os.fork returns twice; Windows spawns instead",
        "os.fork 返回两次；Windows 没有 fork",
        "004",
        &["processes"],
        Partly,
        "a browser cannot fork: the lab spawns (a fresh instance) and measures its start-up",
    ),
    row(
        "multiprocessing.Process, Pool, apply_async, close, join",
        "multiprocessing.Process、Pool、apply_async、close、join",
        "004",
        &["processes"],
        Yes,
        "",
    ),
    row(
        "The notes' downloads: sequential vs processes vs Pool vs threads",
        "笔记中的下载：顺序、多进程、进程池、多线程",
        "004",
        &["processes"],
        Yes,
        "",
    ),
    row(
        "subprocess: a child program with its own input and output",
        "subprocess：有自己输入输出的子程序",
        "004",
        &["processes"],
        Yes,
        "",
    ),
    row(
        "IPC: Queue, Pipe, Manager; data is copied between processes",
        "进程间通信：Queue、Pipe、Manager；数据被复制",
        "001, 004",
        &["processes"],
        Yes,
        "",
    ),
    row(
        "Variables are copied per process, shared per thread",
        "变量在进程间各有一份，在线程间共享",
        "004",
        &["processes", "shared-memory"],
        Yes,
        "",
    ),
    row(
        "A crashing process dies alone; a crashing thread takes its process",
        "进程崩溃互不影响；线程崩溃拖垮整个进程",
        "002, 004",
        &["processes"],
        Yes,
        "",
    ),
    // The GIL and how many threads
    row(
        "The GIL lets one thread run bytecode at a time",
        "GIL 同一时刻只让一个线程执行字节码",
        "000-004",
        &["gil"],
        Yes,
        "",
    ),
    row(
        "When the GIL switches: every 100 ticks, a 5 ms interval, eval-breaker points, none in 3.13t",
        "GIL 何时切换：每 100 条指令、5 ms 间隔、检查点、3.13t 无 GIL",
        "004",
        &["gil"],
        Yes,
        "",
    ),
    row(
        "IO-bound threads help despite the GIL; CPU-bound ones do not",
        "有 GIL 时 IO 密集型多线程有效，CPU 密集型无效",
        "000-003",
        &["gil"],
        Yes,
        "",
    ),
    row(
        "Ways round the GIL: processes, coroutines, multiplexing, C extensions",
        "绕过 GIL：多进程、协程、IO 多路复用、C 扩展",
        "001",
        &["gil"],
        Yes,
        "",
    ),
    row(
        "Each process has its own GIL",
        "每个进程有自己的 GIL",
        "001, 004",
        &["gil", "processes"],
        Yes,
        "",
    ),
    row(
        "Best thread count = (wait + CPU) / CPU × cores",
        "最佳线程数 = (等待 + CPU) / CPU × 核数",
        "002, 004",
        &["gil"],
        Yes,
        "",
    ),
    row(
        "10 blocking waits on threads ≈ 10× faster than one after another",
        "10 个阻塞等待用多线程约快 10 倍",
        "003",
        &["event-loop"],
        Yes,
        "",
    ),
    // Shared memory and synchronisation
    row(
        "balance = balance + n is two steps: the lost update",
        "balance = balance + n 是两步：更新丢失",
        "004",
        &["shared-memory", "explorer"],
        Yes,
        "",
    ),
    row(
        "Lock: acquire, and release in finally",
        "Lock：acquire，并在 finally 中 release",
        "001, 004",
        &["shared-memory", "explorer"],
        Yes,
        "",
    ),
    row(
        "Deadlock (AB-BA), a thread taking its own lock twice, RLock",
        "死锁（AB-BA）、线程重复获取自己的锁、RLock",
        "001",
        &["shared-memory", "explorer"],
        Yes,
        "",
    ),
    row(
        "Starvation, livelock, resource exhaustion",
        "饥饿、活锁、资源耗尽",
        "002",
        &["shared-memory"],
        Yes,
        "",
    ),
    row(
        "Event, Semaphore, Condition wait/notify, Barrier",
        "Event、Semaphore、Condition 的 wait/notify、Barrier",
        "001, 002",
        &["shared-memory", "explorer"],
        Yes,
        "",
    ),
    row(
        "queue.Queue and producer–consumer",
        "queue.Queue 与生产者–消费者",
        "001",
        &["shared-memory"],
        Yes,
        "",
    ),
    row(
        "Thread states and the ways a thread blocks",
        "线程的状态与阻塞的几种方式",
        "002",
        &["shared-memory"],
        Yes,
        "",
    ),
    // IO models
    row(
        "Blocking vs non-blocking, synchronous vs asynchronous",
        "阻塞与非阻塞、同步与异步",
        "000",
        &["event-loop", "io"],
        Yes,
        "",
    ),
    row(
        "The two phases of IO and the four IO models",
        "IO 的两个阶段与四种 IO 模型",
        "000, 001",
        &["io"],
        Yes,
        "",
    ),
    row(
        "Non-blocking polling and its busy CPU",
        "非阻塞轮询及其空转的 CPU",
        "001",
        &["io"],
        Yes,
        "",
    ),
    row(
        "select, poll, epoll: scanning, the 1024 limit, the ready list",
        "select、poll、epoll：扫描、1024 上限、就绪列表",
        "001",
        &["io"],
        Yes,
        "",
    ),
    row(
        "A select-based server: descriptors, kernel buffers, selectors",
        "基于 select 的服务器：描述符、内核缓冲区、selectors",
        "001",
        &["io"],
        Yes,
        "stepped as a model: each descriptor's kernel buffer and the select.select loop; selectors wraps the same loop",
    ),
    row(
        "Event-driven servers on one thread (Nginx, Node)",
        "单线程事件驱动的服务器（Nginx、Node）",
        "004",
        &["event-loop", "io"],
        Yes,
        "",
    ),
    row(
        "Many processes, each with its own event loop",
        "多进程 + 协程（每核一个事件循环）",
        "000, 003, 004",
        &["processes"],
        Yes,
        "",
    ),
    // Coroutines and the event loop
    row(
        "Generators: yield as an expression, send vs next, ping-pong",
        "生成器：yield 表达式、send 与 next、生产者–消费者",
        "000, 001, 003",
        &["event-loop"],
        Yes,
        "",
    ),
    row(
        "greenlet switched by hand; gevent switching on IO",
        "greenlet 手动切换；gevent 遇 IO 自动切换",
        "001",
        &["event-loop"],
        Yes,
        "",
    ),
    row(
        "@asyncio.coroutine / yield from and async / await",
        "@asyncio.coroutine / yield from 与 async / await",
        "000",
        &["event-loop"],
        Partly,
        "both spellings are listed; only async/await runs",
    ),
    row(
        "The print_sum / compute example and its order",
        "print_sum / compute 例子及其输出顺序",
        "000",
        &["event-loop"],
        Yes,
        "",
    ),
    row(
        "Futures and Tasks: ensure_future, create_task, result, callbacks",
        "Future 与 Task：ensure_future、create_task、result、回调",
        "000, 003",
        &["event-loop"],
        Yes,
        "",
    ),
    row(
        "asyncio is one thread, like JavaScript, and where the two differ",
        "asyncio 是单线程的，像 JavaScript，以及两者的不同",
        "002",
        &["event-loop"],
        Yes,
        "each language has its own model: microtasks for JavaScript, the ready queue for asyncio",
    ),
    row(
        "A blocking call inside a coroutine blocks everything",
        "协程中的阻塞调用会阻塞一切",
        "003",
        &["event-loop"],
        Yes,
        "",
    ),
    row(
        "Coroutines need no locks between awaits, but do across one",
        "协程在两次 await 之间不需要锁，跨 await 则需要",
        "001, 004",
        &["event-loop"],
        Yes,
        "",
    ),
];
