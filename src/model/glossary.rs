//! Words a visitor meets on the site, each with a one-line explanation in English and Chinese.
//! The home page lists them; a test keeps every entry complete in both languages.

/// One term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    pub en: &'static str,
    pub zh: &'static str,
    pub meaning_en: &'static str,
    pub meaning_zh: &'static str,
}

const fn term(
    en: &'static str,
    zh: &'static str,
    meaning_en: &'static str,
    meaning_zh: &'static str,
) -> Term {
    Term {
        en,
        zh,
        meaning_en,
        meaning_zh,
    }
}

/// Every term, in the order a visitor tends to meet them.
pub const GLOSSARY: &[Term] = &[
    term(
        "cross-origin isolated",
        "跨源隔离",
        "The page promised not to load other sites' resources without their consent; only then may the browser give it shared memory (SharedArrayBuffer), which threads need.",
        "页面承诺不未经许可加载其他网站的资源；只有这样浏览器才允许它使用线程所需的共享内存（SharedArrayBuffer）。",
    ),
    term(
        "worker",
        "工作线程（Web Worker）",
        "A real operating-system thread the page starts; the site's workers share one WebAssembly memory.",
        "页面启动的真实操作系统线程；本站的工作线程共享同一块 WebAssembly 内存。",
    ),
    term(
        "workers ready",
        "工作线程就绪",
        "The pool of workers has started and can take work; thread labs wait for it.",
        "线程池已启动，可以接收任务；线程实验要等它就绪。",
    ),
    term(
        "model",
        "模型",
        "A simulation that follows stated rules step by step (reproducible), as opposed to a measurement of real threads.",
        "按给定规则逐步模拟（可重现），与测量真实线程相对。",
    ),
    term(
        "long task",
        "长任务",
        "Work that keeps the page's only thread busy for more than 50 ms: clicks and drawing wait until it ends.",
        "让页面唯一的线程忙碌超过 50 毫秒的工作：点击和绘制都要等它结束。",
    ),
    term(
        "frame gap",
        "帧间隔",
        "Time between two screen updates; above about 100 ms a visitor sees the page stutter.",
        "两次屏幕刷新之间的时间；超过约 100 毫秒就会感到页面卡顿。",
    ),
    term(
        "future / spawn_local",
        "future / spawn_local",
        "A Rust future is a task that can pause at `.await` (like a Python coroutine); spawn_local runs it on the page's own event loop.",
        "Rust 的 future 是可以在 `.await` 处暂停的任务（类似 Python 协程）；spawn_local 把它放到页面自己的事件循环上运行。",
    ),
    term(
        "race / lost update",
        "竞态 / 丢失更新",
        "Two threads read the same value and both write back: one write overwrites the other, and an update is lost.",
        "两个线程读到同一个值又都写回：一次写入覆盖了另一次，更新丢失。",
    ),
    term(
        "deadlock",
        "死锁",
        "Threads each hold something the other waits for, so none can go on.",
        "线程各自持有对方等待的资源，谁都无法继续。",
    ),
    term(
        "schedule",
        "调度顺序",
        "One order in which the threads' atomic steps run; the explorer tries them all.",
        "各线程原子步骤的一种执行顺序；交错探索器会尝试所有顺序。",
    ),
    term(
        "reduction",
        "归约",
        "Skipping schedules that can only repeat what another schedule already showed; the results stay complete.",
        "跳过只会重复其他顺序已展示结果的调度；结果依然完整。",
    ),
    term(
        "states/s",
        "状态/秒",
        "How many machine states the model checker generates per second: its speed.",
        "模型检查器每秒生成的机器状态数：它的速度。",
    ),
    term(
        "trace (Mazurkiewicz)",
        "迹（Mazurkiewicz 迹）",
        "Schedules that differ only in the order of steps that do not interfere; they all end the same way.",
        "只在互不干扰的步骤顺序上不同的调度；它们的结果都相同。",
    ),
    term(
        "store buffer / TSO",
        "存储缓冲区 / TSO",
        "On x86 a store waits in a per-core buffer while later loads go ahead; TSO is the memory model that describes it.",
        "在 x86 上，写操作先进入每个核心的缓冲区，后面的读可以先执行；TSO 就是描述这种行为的内存模型。",
    ),
    term(
        "litmus test",
        "试金石测试",
        "A tiny multi-threaded program whose possible outcomes tell which memory model a machine follows.",
        "一个很小的多线程程序，其可能结果能说明机器遵循哪种内存模型。",
    ),
    term(
        "GIL",
        "全局解释器锁（GIL）",
        "CPython's global interpreter lock: only the thread holding it runs Python bytecode.",
        "CPython 的全局解释器锁：只有持有它的线程才能执行 Python 字节码。",
    ),
];

#[cfg(test)]
mod tests {
    use super::GLOSSARY;

    #[test]
    fn every_term_is_explained_in_both_languages() {
        for term in GLOSSARY {
            for text in [term.en, term.zh, term.meaning_en, term.meaning_zh] {
                assert!(!text.trim().is_empty(), "{term:?}");
            }
            // The Chinese explanation is Chinese, not a copy of the English.
            assert!(
                term.meaning_zh
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}",
                term.en
            );
            assert!(term.meaning_en.ends_with('.') && term.meaning_zh.ends_with('。'));
        }
        let mut names: Vec<&str> = GLOSSARY.iter().map(|t| t.en).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), GLOSSARY.len(), "no term twice");
    }
}
