//! The shared-memory lab on real threads: one module per tab (race, deadlock, semaphore,
//! signals, producer–consumer queue), each built on the instrumented primitives of
//! [`crate::runtime::sync`].

pub mod deadlock;
pub mod queue;
pub mod race;
pub mod semaphore;
pub mod signals;
