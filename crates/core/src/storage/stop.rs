//! Stopping a long query from outside: while some work runs, SQLite asks a
//! check every few hundred steps of its virtual machine (also inside the
//! search index's own lookups), and a check that answers true stops the
//! statement running.
//!
//! The core reads no clock: the caller's check decides (a time budget, a
//! caller that went away). The check is installed for the work alone and
//! removed afterwards, so later queries on the connection run unchecked.

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::Collection;
use crate::{Error, Result};

/// Steps of SQLite's virtual machine between two asks of the check. One
/// step may be long (a `LIKE` over a card's whole text, a word's lookup in
/// the index), so they are asked often; a check costs tens of nanoseconds.
const STEPS_PER_CHECK: std::ffi::c_int = 100;

impl Collection {
    /// Runs `work` on this collection while SQLite asks `stop` every few
    /// hundred steps; once `stop` answers true, the running statement
    /// fails and this returns [`Error::Stopped`] (whatever error `work`
    /// made of it). `work` should only read: a stopped write is rolled
    /// back with its transaction, but its caller hears only that it
    /// stopped.
    pub fn stoppable<T>(
        &mut self,
        mut stop: impl FnMut() -> bool + Send + 'static,
        work: impl FnOnce(&Collection) -> Result<T>,
    ) -> Result<T> {
        let stopped = Arc::new(AtomicBool::new(false));
        let seen = Arc::clone(&stopped);
        self.conn.progress_handler(
            STEPS_PER_CHECK,
            Some(move || {
                let stop = stop();
                if stop {
                    seen.store(true, Ordering::Relaxed);
                }
                stop
            }),
        )?;
        let outcome = catch_unwind(AssertUnwindSafe(|| work(self)));
        // Removing a handler fails only when SQLite is out of memory.
        let removed = self.conn.progress_handler(0, None::<fn() -> bool>);
        match outcome {
            Err(panic) => resume_unwind(panic),
            Ok(Err(_)) if stopped.load(Ordering::Relaxed) => Err(Error::Stopped),
            Ok(result) => {
                removed?;
                result
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(collection: &Collection) -> Result<i64> {
        Ok(collection.conn.query_row(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
             SELECT count(*) FROM n",
            [],
            |r| r.get(0),
        )?)
    }

    /// A check that answers true stops the work with `Stopped`; once the
    /// work is over, the same query runs to its end.
    #[test]
    fn a_stopped_query_fails_and_the_next_runs_unchecked() {
        let dir = tempfile::tempdir().expect("temp");
        let mut collection = Collection::open(&dir.path().join("c.sqlite3")).expect("open");
        let mut asked = 0;
        let stopped = collection.stoppable(
            move || {
                asked += 1;
                asked > 10
            },
            count,
        );
        assert!(matches!(stopped, Err(Error::Stopped)), "{stopped:?}");
        assert_eq!(count(&collection).expect("count"), 1_000_000);
        let unstopped = collection.stoppable(|| false, count);
        assert_eq!(unstopped.expect("count"), 1_000_000);
    }

    /// A panic in the work leaves no check behind.
    #[test]
    fn a_panic_removes_the_check() {
        let dir = tempfile::tempdir().expect("temp");
        let mut collection = Collection::open(&dir.path().join("c.sqlite3")).expect("open");
        let panicked = catch_unwind(AssertUnwindSafe(|| {
            collection.stoppable(|| true, |_| -> Result<()> { panic!("in the work") })
        }));
        assert!(panicked.is_err());
        assert_eq!(count(&collection).expect("count"), 1_000_000);
    }
}
