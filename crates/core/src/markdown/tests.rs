//! Snapshot tests of note → cards.
