//! Custom hooks shared by lab components.

pub mod use_animation_frame;
pub mod use_experiment;
pub mod use_kept;
pub mod use_telemetry;

pub use use_animation_frame::use_animation_frame;
pub use use_experiment::{Experiment, use_experiment, use_kept_experiment};
pub use use_kept::{link_value, use_kept, use_kept_reducer, use_param};
pub use use_telemetry::{Telemetry, use_telemetry};
