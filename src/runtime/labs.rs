//! The labs' runtime halves: each runs its experiment for real on the pool (or on the page's
//! own event loop) and returns the report its model module defines. One file or folder per
//! lab, named like the lab's model and UI modules.

pub mod cores;
pub mod event_loop;
pub mod explorer;
pub mod gil;
pub mod io;
pub mod processes;
pub mod shared_memory;
