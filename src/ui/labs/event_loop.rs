//! The "Event loop" lab: asyncio's and JavaScript's concurrency on one thread, shown for
//! real on the browser's own event loop and as a step-through model of the loop's queues,
//! and set against the worker threads. Three sections, each labelled real or model, and
//! their three console entries.

pub mod async_waits;
pub mod block_loop;
pub mod frame_strip;
pub mod listing;
pub mod loop_model;
pub mod machine_view;
pub mod model_gantt;
pub mod own_code;
pub mod task_diagram;

use crate::model::labs::event_loop::lab::{
    BlockLoopParams, BlockLoopReport, LoopModelParams, LoopModelReport, loop_model,
};
use crate::runtime::labs::event_loop as kernel;
use crate::ui::language::both_languages;
use crate::ui::widgets::deferred::Deferred;
use yew::prelude::*;

/// `window.lab.run("block-loop", params)`: the same run as the section's buttons.
pub async fn run_block_loop(params: BlockLoopParams) -> Result<BlockLoopReport, String> {
    Ok(kernel::block_loop(params).await?.report)
}

/// `window.lab.run("loop-model", params)`: a preset run to its end in the model.
pub async fn run_loop_model(params: LoopModelParams) -> Result<LoopModelReport, String> {
    loop_model(&params)
}

/// The lab page.
#[component]
pub fn EventLoopLab() -> Html {
    html! {
        <section class="lab event-loop" aria-labelledby="event-loop-title">
            <h2 id="event-loop-title">{ both_languages("Event loop", "事件循环") }
                <span class="badge real">{ t!("badge.real").to_string() }</span><span class="badge model">{ t!("home.badge_model").to_string() }</span></h2>
            <p class="lede">
                { "asyncio runs on one thread: an event loop that keeps a list of tasks and, whenever the running one " }
                { "stops at an await, picks another that is ready. The page you are reading works the same way: its " }
                { "main thread is a JavaScript event loop, and this lab's Rust futures run on it. Concurrency here " }
                { "means waiting at the same time, not computing at the same time." }
            </p>
            <p class="lede zh-lede" lang="zh">
                { "asyncio 只有一个线程：事件循环维护一组任务，正在运行的任务在 await 处停下时，循环就挑另一个已就绪的任务来运行。" }
                { "你正在看的这个页面也是如此：它的主线程就是一个 JavaScript 事件循环，本实验的 Rust future 就跑在上面。" }
                { "这里的并发是“同时等待”，而不是“同时计算”。" }
            </p>
            <async_waits::AsyncWaits />
            <block_loop::BlockLoop />
            // Parts 3 and 4 (listings, models, editors): a task each after the page.
            <Deferred><loop_model::LoopModel /></Deferred>
            <Deferred><own_code::OwnCode /></Deferred>
        </section>
    }
}
