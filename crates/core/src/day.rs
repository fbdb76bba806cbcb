//! "Today" for a learner: the local calendar day, shifted by a rollover hour
//! so that a late-night session still counts for the day before.

use chrono::{DateTime, Duration, NaiveDate, TimeZone};

/// The rollover hour used when the collection sets none.
pub const DEFAULT_ROLLOVER_HOUR: u32 = 4;

/// The learner's day at `now` (in the learner's time zone) with the day
/// starting at `rollover_hour` (0–23).
pub fn learning_day<Tz: TimeZone>(now: &DateTime<Tz>, rollover_hour: u32) -> NaiveDate {
    (now.naive_local() - Duration::hours(i64::from(rollover_hour.min(23)))).date()
}

/// Formats a day as `YYYY-MM-DD`, the form stored and shown everywhere.
pub fn format_day(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn before_rollover_counts_for_yesterday() {
        let tz = FixedOffset::east_opt(2 * 3600).unwrap();
        let late = tz.with_ymd_and_hms(2026, 3, 10, 2, 30, 0).unwrap();
        assert_eq!(format_day(learning_day(&late, 4)), "2026-03-09");
        let morning = tz.with_ymd_and_hms(2026, 3, 10, 4, 0, 0).unwrap();
        assert_eq!(format_day(learning_day(&morning, 4)), "2026-03-10");
        assert_eq!(format_day(learning_day(&late, 0)), "2026-03-10");
    }
}
