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
    use chrono::Datelike;
    // Exports write millions of these: plain integer formatting, not strftime.
    let year = day.year();
    if !(0..=9999).contains(&year) {
        return day.format("%Y-%m-%d").to_string();
    }
    let (year, month, date) = (year as u32, day.month(), day.day());
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let mut text = String::with_capacity(10);
    for c in [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        '-',
        digit(month / 10),
        digit(month),
        '-',
        digit(date / 10),
        digit(date),
    ] {
        text.push(c);
    }
    text
}

/// Reads a stored `YYYY-MM-DD` day; `None` for anything else.
pub fn parse_day(text: &[u8]) -> Option<NaiveDate> {
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = text.get(range)?;
        digits.iter().try_fold(0u32, |acc, b| {
            b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
        })
    };
    if text.len() != 10 || text[4] != b'-' || text[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_format_and_parse_both_ways() {
        for text in ["2026-03-01", "0999-12-31", "2124-02-29"] {
            let day = parse_day(text.as_bytes()).expect(text);
            assert_eq!(format_day(day), text);
            assert_eq!(
                day,
                NaiveDate::parse_from_str(text, "%Y-%m-%d").expect(text)
            );
        }
        for bad in [
            "2026-3-01",
            "2026-02-30",
            "20260301",
            "2026-03-01 ",
            "abcd-ef-gh",
            "",
        ] {
            assert_eq!(parse_day(bad.as_bytes()), None, "{bad}");
        }
    }
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
