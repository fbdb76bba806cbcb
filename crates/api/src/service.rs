//! The `Service` methods, one file per part of the collection they serve.

mod anki;
mod cards;
mod collection;
mod devices;
mod doctor;
mod notes;
mod review;
mod settings;
mod sync;

pub(crate) use doctor::DoctorMemo;
pub use sync::{sync_in_background, SyncWaker, SYNC_EVERY, SYNC_SETTLE};
