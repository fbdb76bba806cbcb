//! notedeck's core: Markdown notes become cards, cards live in a SQLite
//! collection, and re-importing an edited note keeps every card's progress.
//!
//! The core has no UI, no JSON and no clock: callers pass `now` in.

pub mod actions;
pub mod backup;
pub mod day;
pub mod devices;
pub mod doctor;
pub mod error;
pub mod extract;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod fsrs_stats;
pub(crate) mod history;
pub mod import;
pub mod imported;
pub mod media;
pub mod model;
pub mod note_page;
pub mod optimize;
pub mod queue;
pub mod resend;
pub mod review;
pub mod review_totals;
pub mod search;
pub mod settings;
pub mod simulate;
pub mod stats;
pub mod storage;
pub mod switch;
pub mod sync;

pub use error::{Error, Result};
/// The Markdown pipeline: its own crate, pure (see `notedeck_markdown`).
pub use notedeck_markdown as markdown;
/// Reading a note's bytes as text (in the Markdown crate).
pub use notedeck_markdown::text;
/// The schedulers: their own crate, pure (see `notedeck_scheduler`).
pub use notedeck_scheduler as scheduler;

/// The stack of every thread that parses notes or answers requests (the
/// importer's readers, the server's threads). No pass recurses deeper than
/// a fixed bound (nesting is capped, embeds nest three deep, deck names
/// sixteen levels), so this is ample: the worst-case tests pass on a
/// sixteenth of it in a debug build.
pub const PARSER_STACK_BYTES: usize = 16 << 20;
