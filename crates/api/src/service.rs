//! The `Service` methods, one file per part of the collection they serve.

mod anki;
mod cards;
mod collection;
mod devices;
mod notes;
mod review;
mod settings;
mod sync;

pub use sync::{sync_in_background, SyncWaker, SYNC_EVERY, SYNC_SETTLE};
