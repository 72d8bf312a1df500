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

use crate::model::event_loop::lab::{
    AsyncWaitsParams, BlockLoopParams, BlockMode, LoopModelParams, loop_model,
};
use crate::model::params::parse_json;
use crate::runtime::event_loop as kernel;
use crate::ui::boot::{boot, require_threads};
use futures::FutureExt;
use futures::future::LocalBoxFuture;
use yew::prelude::*;

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

/// `window.lab.run("async-waits", params)`: the same run as the section's Run button.
pub fn console_async_waits(json: String) -> LocalBoxFuture<'static, Result<String, String>> {
    async move {
        let params: AsyncWaitsParams = parse_json("async-waits", &json)?;
        params.validate()?;
        // The worker comparison needs the pool; without it that field is simply null.
        if params.threads {
            boot().await;
        }
        to_json(&kernel::async_waits(params).await?)
    }
    .boxed_local()
}

/// `window.lab.run("block-loop", params)`: the same run as the section's buttons.
pub fn console_block_loop(json: String) -> LocalBoxFuture<'static, Result<String, String>> {
    async move {
        let params: BlockLoopParams = parse_json("block-loop", &json)?;
        params.validate()?;
        if params.mode == BlockMode::Offload {
            require_threads().await?;
        }
        to_json(&kernel::block_loop(params).await?.report)
    }
    .boxed_local()
}

/// `window.lab.run("loop-model", params)`: a preset run to its end in the simulator.
pub fn console_loop_model(json: String) -> LocalBoxFuture<'static, Result<String, String>> {
    async move {
        let params: LoopModelParams = parse_json("loop-model", &json)?;
        to_json(&loop_model(&params)?)
    }
    .boxed_local()
}

/// The lab page.
#[component]
pub fn EventLoopLab() -> Html {
    html! {
        <section class="lab event-loop" aria-labelledby="event-loop-title">
            <h2 id="event-loop-title">{ "Event loop " }<span class="zh">{ "事件循环" }</span>
                <span class="badge real">{ "real" }</span><span class="badge model">{ "model" }</span></h2>
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
            <loop_model::LoopModel />
        </section>
    }
}
