//! Shared widgets, one per file: each is a `#[component]` with its own props.

pub mod copy_button;
pub mod progress_bar;
pub mod speedup_chart;
pub mod timeline;
