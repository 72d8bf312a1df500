//! The GIL lab: bytecode on real threads under one real interpreter lock, each CPython's
//! switch rule, the notes' bank under every rule, and a scheduling model beside it.

mod rules_table;
mod sched_model;
mod thread_count;
mod threads_run;

use crate::model::labs::gil::lab::{SchedParams, SchedReport, sched_model};
use crate::ui::language::both_languages;
use crate::ui::widgets::deferred::Deferred;
use yew::prelude::*;

/// `window.lab.run("sched-model", params)`: the model the page draws, for one policy.
pub async fn run_sched_model(params: SchedParams) -> Result<SchedReport, String> {
    sched_model(&params)
}

/// The lab page.
#[component]
pub fn GilLab() -> Html {
    html! {
        <section class="lab gil" aria-labelledby="gil-title">
            <h2 id="gil-title">{ both_languages("The GIL", "全局解释器锁") }
                <span class="badge real">{ t!("home.badge_threads").to_string() }</span><span class="badge model">{ t!("home.badge_model").to_string() }</span></h2>
            <p class="lede">
                { "CPython runs Python bytecode only while holding one lock, the global interpreter lock. Here a tiny " }
                { "Python-like interpreter runs on real worker threads, and every thread must hold one real lock in " }
                { "shared memory to execute an instruction. Pick the rule by which the lock changes hands, and measure " }
                { "what the notes claim: CPU-bound threads take turns, IO-bound threads overlap, and whether the bank " }
                { "loses updates depends on the Python version." }
            </p>
            <p class="lede zh-lede" lang="zh">
                { "CPython 只有持有全局解释器锁（GIL）时才能执行字节码。这里一个小小的类 Python 解释器运行在真实的工作线程上，" }
                { "每个线程都必须持有共享内存中的同一把真实的锁才能执行一条指令。选择锁的交接规则，亲手测量笔记中的结论：" }
                { "CPU 密集型线程只能轮流执行，IO 密集型线程可以重叠；银行例子是否丢失更新，取决于 Python 的版本。" }
            </p>
            <threads_run::ThreadsRun />
            <rules_table::RulesTable />
            <thread_count::ThreadCount />
            // Six simulations and their Gantt charts: their own task after the page.
            <Deferred><sched_model::SchedModel /></Deferred>
        </section>
    }
}

/// Lane names of the GIL timeline: threads T1…, and the GIL's own lane.
pub fn lane_name(lane: u32) -> String {
    if lane == crate::runtime::labs::gil::GIL_LANE {
        t!("gil.lane_gil_holder").to_string()
    } else {
        crate::model::thread_state::thread_name(lane)
    }
}
