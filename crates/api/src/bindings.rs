//! The TypeScript declarations of the API types and operations, for the UI.
//!
//! `ui/src/lib/api/types.ts` is generated from the Rust types and
//! `ui/src/lib/api/operations.ts` from [`crate::OPERATIONS`], and a test
//! checks both: `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`
//! rewrites them after a change.

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
        CardChangeDto::decl(&cfg),
        ImportReportDto::decl(&cfg),
        ImportProgressDto::decl(&cfg),
        ImportPhase::decl(&cfg),
        DeckNode::decl(&cfg),
        CardDto::decl(&cfg),
        QueueCardDto::decl(&cfg),
        ScheduleDto::decl(&cfg),
        ReviewDto::decl(&cfg),
        AnswerDto::decl(&cfg),
        UndoDto::decl(&cfg),
        ActionDto::decl(&cfg),
        ActDto::decl(&cfg),
        ActRequest::decl(&cfg),
        BrowseRequest::decl(&cfg),
        StudyRequest::decl(&cfg),
        Count::decl(&cfg),
        Flag::decl(&cfg),
        CardRequest::decl(&cfg),
        OpenNoteRequest::decl(&cfg),
        DeckOptionsRequest::decl(&cfg),
        DeckOptionsDto::decl(&cfg),
        DeckOptionValues::decl(&cfg),
        OpenedDto::decl(&cfg),
        BrowsePageDto::decl(&cfg),
        CardSummaryDto::decl(&cfg),
        CardDetailDto::decl(&cfg),
        LeechAction::decl(&cfg),
        SettingsDto::decl(&cfg),
        SettingsUpdate::decl(&cfg),
        SwitchedDto::decl(&cfg),
        OptimizedDto::decl(&cfg),
        ScoreDto::decl(&cfg),
        EvaluationDto::decl(&cfg),
        ProjectionDto::decl(&cfg),
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
        FsrsStatsDto::decl(&cfg),
        NoRequest::decl(&cfg),
        DeckRequest::decl(&cfg),
        AnswerRequest::decl(&cfg),
        ImportNotesRequest::decl(&cfg),
        StatsRequest::decl(&cfg),
        Days::decl(&cfg),
        ExportRequest::decl(&cfg),
        FindingDto::decl(&cfg),
        DismissRequest::decl(&cfg),
        ReadingRequest::decl(&cfg),
        ExtractRequest::decl(&cfg),
        ExtractedDto::decl(&cfg),
        UndoRequest::decl(&cfg),
        UndoStepDto::decl(&cfg),
        ReadingDto::decl(&cfg),
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

/// The UI's map of operations: for each name, its request and response
/// types, its HTTP route and how its result is delivered.
pub fn operations() -> String {
    let mut types: Vec<&str> = OPERATIONS
        .iter()
        .flat_map(|op| [op.request, op.response])
        .map(|t| t.trim_end_matches("[]").trim_end_matches(" | null"))
        .filter(|t| *t != "string")
        .collect();
    types.sort_unstable();
    types.dedup();
    let mut out = String::from(
        "// Generated from crates/api/src/ops.rs by\n// `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`. Do not edit.\n\n",
    );
    out.push_str(&format!(
        "import type {{ {} }} from './types';\n\n",
        types.join(", ")
    ));
    out.push_str("/** Each operation's request and response. */\nexport interface Operations {\n");
    for op in OPERATIONS {
        out.push_str(&format!(
            "  {}: {{ request: {}; response: {} }};\n",
            op.name, op.request, op.response
        ));
    }
    out.push_str(
        "}\n\n/** The name of an operation. */\nexport type OperationName = keyof Operations;\n\n",
    );
    out.push_str("/** Each operation's HTTP route, and how its result arrives. */\nexport const OPERATIONS = {\n");
    for op in OPERATIONS {
        let method = match op.method {
            Method::Get => "GET",
            Method::Post => "POST",
        };
        let delivery = match op.delivery {
            Delivery::Json => "json",
            Delivery::Progress => "progress",
            Delivery::File => "file",
        };
        out.push_str(&format!(
            "  {}: {{ method: '{method}', path: '{}', delivery: '{delivery}' }},\n",
            op.name, op.path
        ));
    }
    out.push_str("} as const satisfies Record<OperationName, { method: 'GET' | 'POST'; path: string; delivery: string }>;\n");
    out.push_str(&format!(
        "\n/** The file name the progress report is saved under (`shell::REPORT_FILE_NAME`). */\nexport const REPORT_FILE_NAME = '{}';\n",
        crate::REPORT_FILE_NAME
    ));
    out
}

#[cfg(test)]
mod tests {
    /// Each generated file is what the Rust side says it is.
    #[test]
    fn bindings_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/api");
        for (name, expected) in [
            ("types.ts", super::typescript()),
            ("operations.ts", super::operations()),
        ] {
            let path = dir.join(name);
            if std::env::var_os("UPDATE_BINDINGS").is_some() {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &expected).unwrap();
                continue;
            }
            let actual = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                actual == expected,
                "{} is out of date: run `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`",
                path.display()
            );
        }
    }
}
