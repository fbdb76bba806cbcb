//! notedeck's core: Markdown notes become cards, cards live in a SQLite
//! collection, and re-importing an edited note keeps every card's progress.
//!
//! The core has no UI, no JSON and no clock: callers pass `now` in.

pub mod actions;
pub mod backup;
pub mod day;
pub mod doctor;
pub mod error;
#[cfg(feature = "fixtures")]
pub mod fixtures;
pub mod fsrs_stats;
pub mod import;
pub mod markdown;
pub mod media;
pub mod model;
pub mod optimize;
pub mod queue;
pub mod review;
pub mod scheduler;
pub mod search;
pub mod simulate;
pub mod stats;
pub mod storage;
pub mod switch;
pub mod text;

pub use error::{Error, Result};
