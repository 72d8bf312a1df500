//! The shared-memory lab on real threads: one module per tab (race, deadlock, semaphore,
//! signals, producer–consumer queue, starvation and livelock), each built on the instrumented primitives of
//! [`crate::runtime::sync`].

pub mod deadlock;
pub mod queue;
pub mod race;
pub mod semaphore;
pub mod signals;
pub mod starvation;
