//! Statistics as they cross the API edge, and their CSV form.

use std::io::Write;

use notedeck_core::day::format_day;
use notedeck_core::stats::{
    self, Bucket, DayStats, DeckSummary, PeriodRetention, Retention, StateCounts,
};
use serde::{Deserialize, Serialize};
#[cfg(feature = "ts")]
use ts_rs::TS;

use crate::{ApiError, ApiResult, CardDto, ErrorCode};

/// Card counts by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct StateCountsDto {
    /// Never answered.
    pub new: i64,
    /// Answered, not yet passed twice.
    pub learning: i64,
    /// Interval < 21 days.
    pub young: i64,
    /// Interval >= 21 days.
    pub mature: i64,
    /// Out of the queue.
    pub retired: i64,
    /// All cards not retired.
    pub total: i64,
}

impl From<StateCounts> for StateCountsDto {
    fn from(c: StateCounts) -> Self {
        StateCountsDto {
            new: c.new,
            learning: c.learning,
            young: c.young,
            mature: c.mature,
            retired: c.retired,
            total: c.active(),
        }
    }
}

/// Retention: answers counted, passed, and the rate (null without answers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct RetentionDto {
    /// First-of-day answers on learned cards.
    pub answers: i64,
    /// Of those, graded 3 or more.
    pub passed: i64,
    /// `passed / answers`.
    pub rate: Option<f64>,
}

impl From<Retention> for RetentionDto {
    fn from(r: Retention) -> Self {
        RetentionDto {
            answers: r.answers,
            passed: r.passed,
            rate: r.rate(),
        }
    }
}

/// One day of the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DayStatsDto {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Answers, repeats included.
    pub reviews: i64,
    /// Answers by grade 0–5.
    pub by_grade: [i64; 6],
    /// Answers by kind.
    pub by_kind: KindCountsDto,
    /// Milliseconds spent, where measured.
    pub time_ms: i64,
    /// Retention on learned cards.
    pub retention: RetentionDto,
    /// Retention on young cards.
    pub retention_young: RetentionDto,
    /// Retention on mature cards.
    pub retention_mature: RetentionDto,
    /// Cards answered for the first time.
    pub new_learned: i64,
}

/// Answers by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct KindCountsDto {
    /// First answers of cards being learned.
    pub learn: i64,
    /// First-of-day answers of learned cards.
    pub review: i64,
    /// First-of-day answers of lapsed cards being relearned.
    pub relearn: i64,
    /// Same-day repeats.
    pub repeat: i64,
    /// Answers in cram sessions (custom study; no schedule changes).
    pub cram: i64,
    /// Reading cards read (re-reading, never counted as recall).
    pub read: i64,
}

impl From<&DayStats> for DayStatsDto {
    fn from(day: &DayStats) -> Self {
        let d = &day.totals;
        DayStatsDto {
            date: format_day(day.day),
            reviews: d.reviews,
            by_grade: d.by_grade,
            by_kind: KindCountsDto {
                learn: d.by_kind[0],
                review: d.by_kind[1],
                relearn: d.by_kind[2],
                repeat: d.by_kind[3],
                cram: d.by_kind[4],
                read: d.by_kind[5],
            },
            time_ms: d.time_ms,
            retention: d.retention.into(),
            retention_young: d.retention_young.into(),
            retention_mature: d.retention_mature.into(),
            new_learned: d.new_learned,
        }
    }
}

/// Retention over a week or month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct PeriodRetentionDto {
    /// First day of the period.
    pub start: String,
    /// All learned cards.
    pub all: RetentionDto,
    /// Young cards.
    pub young: RetentionDto,
    /// Mature cards.
    pub mature: RetentionDto,
}

impl From<&PeriodRetention> for PeriodRetentionDto {
    fn from(p: &PeriodRetention) -> Self {
        PeriodRetentionDto {
            start: format_day(p.start),
            all: p.all.into(),
            young: p.young.into(),
            mature: p.mature.into(),
        }
    }
}

/// A count on a day (forecast, heatmap).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DayCountDto {
    /// `YYYY-MM-DD` (for weeks: the first day).
    pub date: String,
    /// The count.
    pub count: i64,
}

fn day_counts(items: &[(chrono::NaiveDate, i64)]) -> Vec<DayCountDto> {
    items
        .iter()
        .map(|(d, n)| DayCountDto {
            date: format_day(*d),
            count: *n,
        })
        .collect()
}

/// A histogram bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct BucketDto {
    /// Label.
    pub label: String,
    /// Cards.
    pub count: i64,
}

fn buckets(items: &[Bucket]) -> Vec<BucketDto> {
    items
        .iter()
        .map(|b| BucketDto {
            label: b.label.clone(),
            count: b.count,
        })
        .collect()
}

/// A per-deck summary row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct DeckSummaryDto {
    /// Deck name.
    pub deck: String,
    /// Card counts.
    pub cards: StateCountsDto,
    /// Answers in the range.
    pub reviews: i64,
    /// Retention in the range.
    pub retention: RetentionDto,
}

impl From<&DeckSummary> for DeckSummaryDto {
    fn from(d: &DeckSummary) -> Self {
        DeckSummaryDto {
            deck: d.deck.clone(),
            cards: d.counts.into(),
            reviews: d.reviews,
            retention: d.retention.into(),
        }
    }
}

/// Everything `stats --format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct StatsDto {
    /// The learner's today.
    pub today: String,
    /// First day of the range.
    pub from: String,
    /// Days in the range.
    pub days_in_range: u32,
    /// Deck filter.
    pub deck: Option<String>,
    /// Tag filter.
    pub tag: Option<String>,
    /// Card counts by state.
    pub cards: StateCountsDto,
    /// Answers in the range.
    pub reviews: i64,
    /// Time spent in the range, milliseconds.
    pub time_ms: i64,
    /// Retention over the range.
    pub retention: PeriodRetentionDto,
    /// Retention per ISO week.
    pub retention_weekly: Vec<PeriodRetentionDto>,
    /// Retention per month.
    pub retention_monthly: Vec<PeriodRetentionDto>,
    /// One entry per day of the range.
    pub days: Vec<DayStatsDto>,
    /// Cards due on each of the next 30 days (today includes overdue).
    pub forecast_days: Vec<DayCountDto>,
    /// Cards due per week after that, up to a year.
    pub forecast_weeks: Vec<DayCountDto>,
    /// Answers per day over the past year (days without answers left out).
    pub heatmap: Vec<DayCountDto>,
    /// Days in a row with answers, up to today.
    pub current_streak: i64,
    /// Longest run of days with answers.
    pub longest_streak: i64,
    /// Interval histogram of learned cards.
    pub intervals: Vec<BucketDto>,
    /// E-Factor histogram of answered cards.
    pub eases: Vec<BucketDto>,
    /// Cards with the most lapses, lowest E-Factor: fix their notes.
    pub hardest: Vec<CardDto>,
    /// Cards tagged `leech` (forgotten too often), most lapses first.
    pub leeches: Vec<CardDto>,
    /// One row per deck.
    pub decks: Vec<DeckSummaryDto>,
    /// FSRS's figures (null under SM-2).
    pub fsrs: Option<FsrsStatsDto>,
}

/// What only FSRS has: stability and retrievability of the cards, and its
/// predicted against the actual retention over the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct FsrsStatsDto {
    /// Cards by stability (days for recall to fall to 90 %).
    pub stability: Vec<BucketDto>,
    /// Cards by their probability of recall today.
    pub retrievability: Vec<BucketDto>,
    /// Mean probability of recall today.
    pub average_retrievability: Option<f64>,
    /// Mean recall FSRS predicted for the range's first answers of a day.
    pub predicted_retention: Option<f64>,
    /// Share of those answers recalled.
    pub actual_retention: Option<f64>,
    /// Answers compared.
    pub answers_compared: i64,
    /// The retention cards are scheduled for.
    pub desired_retention: f64,
}

impl From<notedeck_core::fsrs_stats::FsrsStats> for FsrsStatsDto {
    fn from(s: notedeck_core::fsrs_stats::FsrsStats) -> FsrsStatsDto {
        FsrsStatsDto {
            stability: buckets(&s.stability),
            retrievability: buckets(&s.retrievability),
            average_retrievability: s.average_retrievability,
            predicted_retention: s.predicted_retention,
            actual_retention: s.actual_retention,
            answers_compared: s.answers_compared,
            desired_retention: crate::decimal(s.desired_retention),
        }
    }
}

impl StatsDto {
    /// Converts the core statistics.
    pub fn from_stats(s: stats::Stats, days_in_range: u32) -> StatsDto {
        StatsDto {
            today: format_day(s.today),
            from: format_day(s.from),
            days_in_range,
            deck: s.deck.clone(),
            tag: None,
            cards: s.counts.into(),
            reviews: s.days.iter().map(|d| d.totals.reviews).sum(),
            time_ms: s.days.iter().map(|d| d.totals.time_ms).sum(),
            retention: (&s.retention).into(),
            retention_weekly: s.retention_weekly.iter().map(Into::into).collect(),
            retention_monthly: s.retention_monthly.iter().map(Into::into).collect(),
            days: s.days.iter().map(Into::into).collect(),
            forecast_days: day_counts(&s.forecast_days),
            forecast_weeks: day_counts(&s.forecast_weeks),
            heatmap: day_counts(&s.heatmap),
            current_streak: s.current_streak,
            longest_streak: s.longest_streak,
            intervals: buckets(&s.intervals),
            eases: buckets(&s.eases),
            hardest: s.hardest.into_iter().map(CardDto::from).collect(),
            leeches: Vec::new(),
            decks: s.decks.iter().map(Into::into).collect(),
            fsrs: None,
        }
    }

    /// Writes one CSV row per day of the range and of the 30-day forecast:
    /// `date, reviews, grade_0…grade_5, learn, review, relearn, repeat,
    /// time_ms, retention, retention_young, retention_mature, new_learned,
    /// due, cram, read` (cram and read last: they came later). Review
    /// columns are empty on future days; `due` is empty on past days.
    pub fn write_csv(&self, out: &mut dyn Write) -> ApiResult<()> {
        let mut csv = csv::Writer::from_writer(out);
        let mut header: Vec<String> = vec!["date".into(), "reviews".into()];
        header.extend((0..6).map(|g| format!("grade_{g}")));
        header.extend(
            [
                "learn",
                "review",
                "relearn",
                "repeat",
                "time_ms",
                "retention",
                "retention_young",
                "retention_mature",
                "new_learned",
                "due",
                "cram",
                "read",
            ]
            .map(String::from),
        );
        csv.write_record(&header).map_err(csv_error)?;
        let rate = |r: &RetentionDto| r.rate.map(|x| format!("{x:.4}")).unwrap_or_default();
        for day in &self.days {
            let due = self
                .forecast_days
                .iter()
                .find(|f| f.date == day.date)
                .map(|f| f.count.to_string())
                .unwrap_or_default();
            let mut row = vec![day.date.clone(), day.reviews.to_string()];
            row.extend(day.by_grade.iter().map(i64::to_string));
            row.extend([
                day.by_kind.learn.to_string(),
                day.by_kind.review.to_string(),
                day.by_kind.relearn.to_string(),
                day.by_kind.repeat.to_string(),
                day.time_ms.to_string(),
                rate(&day.retention),
                rate(&day.retention_young),
                rate(&day.retention_mature),
                day.new_learned.to_string(),
                due,
                day.by_kind.cram.to_string(),
                day.by_kind.read.to_string(),
            ]);
            csv.write_record(&row).map_err(csv_error)?;
        }
        for future in self.forecast_days.iter().filter(|f| f.date > self.today) {
            let mut row = vec![future.date.clone()];
            // Empty review columns, then `due`, then an empty `cram` and `read`.
            row.extend(std::iter::repeat_n(String::new(), header.len() - 4));
            row.push(future.count.to_string());
            row.push(String::new());
            row.push(String::new());
            csv.write_record(&row).map_err(csv_error)?;
        }
        csv.flush()
            .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))?;
        Ok(())
    }
}

pub(crate) fn csv_error(err: csv::Error) -> ApiError {
    ApiError::new(ErrorCode::Io, format!("cannot write CSV: {err}"))
}
