//! Integration tests: the real `notedeck` binary on real files and real
//! SQLite collections in temporary folders. One test binary, one module per
//! feature; tests are named after what they guard.

mod actions;
mod anki;
mod cli_errors;
mod day_end;
mod deck_counts;
mod deck_names;
mod deck_options;
mod dendron;
mod devices;
mod doctor;
mod extract;
mod faults;
mod fsrs;
mod hostile;
mod identity;
mod import_basics;
mod note_view;
mod odd_notes;
mod reading;
mod real_notes;
mod resend;
mod review;
mod search;
mod security;
pub mod serve;
mod siblings;
mod stats;
mod steps;
mod study;
mod support;
mod sync;
mod tags;
mod terminal;
mod tidy;
mod undo;
mod vaults;
