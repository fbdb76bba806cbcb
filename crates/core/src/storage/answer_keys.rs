//! The keys pages give their answers, so that an answer sent again (its
//! reply lost to a flaky network) is never recorded twice.

use rusqlite::{params, OptionalExtension};

use super::{Reader, Tx};
use crate::Result;

impl Reader<'_> {
    /// The id of the answer recorded under `key`, when one was.
    pub fn review_id_of_key(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT review_id FROM answer_keys WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }
}

impl Tx<'_> {
    /// Records that the answer `review_id` was given under `key` at `at`
    /// (RFC 3339), and lets go of keys older than `forget_before`.
    pub fn insert_answer_key(
        &self,
        key: &str,
        review_id: &str,
        at: &str,
        forget_before: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM answer_keys WHERE at < ?1")?
            .execute([forget_before])?;
        self.tx
            .prepare_cached("INSERT INTO answer_keys (key, review_id, at) VALUES (?1, ?2, ?3)")?
            .execute(params![key, review_id, at])?;
        Ok(())
    }
}
