//! Runtime layer (wasm only): real threads, shared-memory telemetry, and the lab kernels.
//!
//! **Invariant:** nothing reachable from the page's main thread blocks. Work reaches the
//! pool through [`pool::submit`], which pushes onto a lock-free queue and wakes the
//! conductor with `memory.atomic.notify`; results come back on a oneshot channel and
//! progress through atomics that the UI polls on animation frames.

pub mod cancel;
pub mod clock;
pub mod crash;
pub mod env;
pub mod labs;
pub mod pool;
pub mod process;
pub mod sync;
pub mod telemetry;
