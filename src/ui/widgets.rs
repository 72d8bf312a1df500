//! Shared widgets, one per file: each is a `#[component]` with its own props.

pub mod bar_chart;
pub mod copy_button;
pub mod deferred;
pub mod export;
pub mod field;
pub mod lab_idea;
pub mod line_chart;
pub mod loglog_chart;
pub mod progress_bar;
pub mod run_bar;
pub mod scroller;
pub mod speedup_chart;
pub mod state_diagram;
pub mod thread_life;
pub mod thread_states;
pub mod throughput_chart;
pub mod timeline;
pub mod wait_for_graph;
