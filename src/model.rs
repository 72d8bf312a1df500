//! Pure model layer: simulators, kernels, parameters and statistics.
//!
//! Nothing here may name a browser crate, read a clock or start a thread: every item is
//! deterministic and tested natively with `cargo test`. The runtime and the UI call in;
//! the model never calls out.

pub mod csv;
pub mod glossary;
pub mod labs;
pub mod link;
pub mod mandelbrot;
pub mod params;
pub mod rng;
pub mod stats;
pub mod thread_state;
pub mod ticks;
pub mod timeline;
pub mod trace;
pub mod wait_for;
