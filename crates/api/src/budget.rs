//! The work one search may do: every search in the card browser's language
//! (a browser page, `cards --search`, a custom session over a search, an
//! action on a whole search) runs under [`SEARCH_BUDGET`], and stops early
//! when the request's [`Cancel`] is set (the server sets it when the client
//! disconnects). The query language bounds what a query may ask
//! (`notedeck_core::search`); this bounds what the collection's contents
//! can make of it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use notedeck_core::storage::Collection;
use serde_json::Value;

use crate::{ApiError, ApiResult, ErrorCode, ImportProgressDto, Service};

/// The longest one search may run, its count and its page together. A
/// search of 100,000 cards takes well under a tenth of that (README,
/// "Search speed"); one that runs longer holds a connection the rest of
/// the app waits for (the server has two for reading and one for writing).
pub const SEARCH_BUDGET: Duration = Duration::from_secs(2);

/// A request's cancellation: set when its caller has gone, so that a
/// search running for it stops at its next check.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A cancellation not set yet.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Stops the search running for the request, and any it would start.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// True once [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// `budget` in words: "2 s", or "250 ms" under a second.
fn in_words(budget: Duration) -> String {
    if budget >= Duration::from_secs(1) && budget.subsec_millis() == 0 {
        format!("{} s", budget.as_secs())
    } else {
        format!("{} ms", budget.as_millis())
    }
}

/// Puts a request's cancellation on a service for one call, and takes it
/// off again however the call ends (a panic included).
struct WithCancel<'s>(&'s mut Service);

impl Drop for WithCancel<'_> {
    fn drop(&mut self) {
        self.0.cancel = Cancel::new();
    }
}

impl Service {
    /// As [`Service::dispatch`], with the request's cancellation: once
    /// `cancel` is set, a search running for the request stops.
    pub fn dispatch_cancellable(
        &mut self,
        name: &str,
        args: Value,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(ImportProgressDto),
        cancel: &Cancel,
    ) -> ApiResult<Value> {
        let scoped = WithCancel(self);
        scoped.0.cancel = cancel.clone();
        scoped.0.dispatch(name, args, now, progress)
    }

    /// Runs `search` (reads only) under [`SEARCH_BUDGET`] and the
    /// request's cancellation; past the budget it fails with a message
    /// that says so and what to do.
    pub(crate) fn bounded<T>(
        &mut self,
        search: impl FnOnce(&Collection) -> notedeck_core::Result<T>,
    ) -> ApiResult<T> {
        let budget = self.search_budget;
        let deadline = Instant::now() + budget;
        let cancel = self.cancel.clone();
        let asked = cancel.clone();
        let stop = move || asked.is_cancelled() || Instant::now() >= deadline;
        match self.collection.stoppable(stop, search) {
            Err(notedeck_core::Error::Stopped) if cancel.is_cancelled() => Err(ApiError::new(
                ErrorCode::InvalidInput,
                "the search was stopped: its request was cancelled (the client left)",
            )),
            Err(notedeck_core::Error::Stopped) => Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "the search took longer than {} and was stopped; make it narrower: longer or fewer words, or a field such as deck:, tag: or state:",
                    in_words(budget)
                ),
            )),
            other => Ok(other?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BrowseRequest, ImportRequest};
    use serde_json::json;

    /// A collection of 300 cards, each about "powerhouse".
    fn service(dir: &std::path::Path) -> Service {
        let notes = dir.join("notes");
        std::fs::create_dir_all(&notes).expect("mkdir");
        let text: String = (0..300)
            .map(|i| format!("## Card {i}\nThe powerhouse, part {i}.\n\n"))
            .collect();
        std::fs::write(notes.join("cells.md"), format!("# Cells\n{text}")).expect("write");
        let mut service = Service::open(&dir.join("c.sqlite3")).expect("open");
        let now = "2026-03-01T09:00:00Z".parse().expect("time");
        service
            .import(&[notes], &ImportRequest::default(), now, &mut |_| {})
            .expect("import");
        service.index_search().expect("index");
        service
    }

    /// A search past its budget, or whose request was cancelled, stops
    /// with a message that says so; the next search (the budget and the
    /// cancellation are per search) runs to its end, and an action over
    /// a stopped search writes nothing.
    #[test]
    fn a_search_past_its_budget_or_cancelled_stops_and_the_next_runs() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut service = service(dir.path());
        let now = "2026-03-01T09:00:00Z".parse().expect("time");
        let request = BrowseRequest {
            search: Some("powerhouse".into()),
            ..Default::default()
        };
        service.search_budget = Duration::ZERO;
        let stopped = service.browse(&request, now).expect_err("stopped");
        assert_eq!(stopped.code, ErrorCode::InvalidInput);
        assert!(
            stopped
                .message
                .starts_with("the search took longer than 0 ms"),
            "{}",
            stopped.message
        );
        let act = json!({ "search": "powerhouse", "action": "suspend" });
        let refused = service
            .dispatch("act", act.clone(), now, &mut |_| {})
            .expect_err("the search part stops before any write");
        assert!(
            refused.message.contains("took longer"),
            "{}",
            refused.message
        );
        service.search_budget = SEARCH_BUDGET;
        assert_eq!(service.browse(&request, now).expect("browse").total, 300);
        let suspended = json!({ "search": "state:suspended" });
        let found = service.dispatch("browse", suspended.clone(), now, &mut |_| {});
        assert_eq!(found.expect("browse")["total"], 0, "nothing was suspended");

        let cancel = Cancel::new();
        cancel.cancel();
        let search = json!({ "search": "powerhouse" });
        let cancelled = service
            .dispatch_cancellable("browse", search.clone(), now, &mut |_| {}, &cancel)
            .expect_err("cancelled");
        assert!(
            cancelled.message.contains("cancelled"),
            "{}",
            cancelled.message
        );
        let next = service.dispatch("browse", search, now, &mut |_| {});
        assert_eq!(next.expect("browse")["total"], 300);
        let done = service.dispatch("act", act, now, &mut |_| {});
        assert_eq!(done.expect("act")["changed"], 300);
    }

    #[test]
    fn budgets_in_words() {
        assert_eq!(in_words(SEARCH_BUDGET), "2 s");
        assert_eq!(in_words(Duration::from_millis(250)), "250 ms");
        assert_eq!(in_words(Duration::ZERO), "0 ms");
    }
}
