//! The TypeScript declarations of the API types, for the UI.
//!
//! `ui/src/lib/api/types.ts` is generated from these Rust types and checked
//! by a test: `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`
//! rewrites it after a change.

use ts_rs::{Config, TS};

use crate::*;

/// Every type the UI uses, as one TypeScript module.
pub fn typescript() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
        ErrorCode::decl(&cfg),
        ApiError::decl(&cfg),
        ImportRequest::decl(&cfg),
        CountsDto::decl(&cfg),
        SkippedDto::decl(&cfg),
        NoteReportDto::decl(&cfg),
        ImportReportDto::decl(&cfg),
        ImportProgressDto::decl(&cfg),
        ImportPhase::decl(&cfg),
        DeckNode::decl(&cfg),
        CardDto::decl(&cfg),
        QueueCardDto::decl(&cfg),
        ScheduleDto::decl(&cfg),
        ReviewDto::decl(&cfg),
        AnswerDto::decl(&cfg),
        SettingsDto::decl(&cfg),
        SettingsUpdate::decl(&cfg),
        SkipRulesDto::decl(&cfg),
        DaySummaryDto::decl(&cfg),
        CheckDto::decl(&cfg),
        BackupDto::decl(&cfg),
        RestoreDto::decl(&cfg),
        StateCountsDto::decl(&cfg),
        RetentionDto::decl(&cfg),
        KindCountsDto::decl(&cfg),
        DayStatsDto::decl(&cfg),
        PeriodRetentionDto::decl(&cfg),
        DayCountDto::decl(&cfg),
        BucketDto::decl(&cfg),
        DeckSummaryDto::decl(&cfg),
        StatsDto::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in crates/api by\n// `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`. Do not edit.\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bindings_are_current() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/api/types.ts");
        let expected = super::typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &expected).unwrap();
            return;
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{} is out of date: run `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`",
            path.display()
        );
    }
}
