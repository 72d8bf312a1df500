//! Custom hooks shared by lab components.

pub mod use_animation_frame;
pub mod use_experiment;
pub mod use_telemetry;

pub use use_animation_frame::use_animation_frame;
pub use use_experiment::{Experiment, use_experiment};
pub use use_telemetry::{Telemetry, use_telemetry};
