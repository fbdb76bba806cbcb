//! The JSON API: one route per service operation, translating HTTP to calls
//! of [`Service`] and results to JSON. No business logic lives here.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use notedeck_api::{
    ApiError, ApiResult, ErrorCode, ExportFormat, ImportRequest, Service, SettingsUpdate,
};
use serde::Deserialize;
use tiny_http::Method;

/// What a route answers.
pub enum Reply {
    /// A JSON document.
    Json(String),
    /// A file to download (deleted once opened).
    File {
        /// Where it is.
        file: PathBuf,
        /// The download's file name.
        name: String,
        /// Its content type.
        content_type: &'static str,
    },
}

/// Decodes `a=1&b=x%20y` into a map.
pub fn parse_query(query: &str) -> HashMap<String, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn json<T: serde::Serialize>(value: &T) -> ApiResult<Reply> {
    serde_json::to_string(value)
        .map(Reply::Json)
        .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))
}

fn body<'a, T: Deserialize<'a>>(text: &'a str) -> ApiResult<T> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_json::from_str(text)
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, format!("bad request body: {e}")))
}

#[derive(Deserialize)]
struct AnswerBody {
    card_id: String,
    grade: String,
    duration_ms: Option<i64>,
}

#[derive(Deserialize)]
struct ImportBody {
    #[serde(default)]
    paths: Vec<PathBuf>,
    deck: Option<String>,
    #[serde(default)]
    dry_run: bool,
}

/// The paths and options of an import request body.
pub fn import_body(text: &str) -> ApiResult<(Vec<PathBuf>, ImportRequest)> {
    let import: ImportBody = body(text)?;
    let request = ImportRequest {
        deck: import.deck.filter(|d| !d.trim().is_empty()),
        dry_run: import.dry_run,
    };
    Ok((import.paths, request))
}

/// Routes one API call.
pub fn api(
    service: &mut Service,
    method: &Method,
    path: &str,
    query: &HashMap<String, String>,
    text: &str,
    now: DateTime<Utc>,
) -> ApiResult<Reply> {
    let deck = query
        .get("deck")
        .map(String::as_str)
        .filter(|d| !d.is_empty());
    match (method, path) {
        (Method::Get, "health") => json(&serde_json::json!({ "ok": true })),
        (Method::Get, "decks") => json(&service.decks(now)?),
        (Method::Get, "cards") => json(&service.cards(deck)?),
        (Method::Get, "due") => {
            service.daily_backup_in_background(now)?;
            json(&service.due(deck, now)?)
        }
        (Method::Get, "summary") => json(&service.day_summary(now)?),
        (Method::Post, "answer") => {
            let answer: AnswerBody = body(text)?;
            json(&service.answer(&answer.card_id, &answer.grade, now, answer.duration_ms)?)
        }
        (Method::Post, "undo") => json(&service.undo(now)?),
        (Method::Post, "import") => {
            let (paths, request) = import_body(text)?;
            json(&service.import(&paths, &request, now, &mut |_| {})?)
        }
        (Method::Get, "sources") => json(&service.sources()?),
        (Method::Get, "stats") => {
            let days = query.get("days").and_then(|d| d.parse().ok()).unwrap_or(30);
            json(&service.stats(deck, days, now)?)
        }
        (Method::Get, "settings") => json(&service.settings()?),
        (Method::Post, "settings") => {
            let update: SettingsUpdate = body(text)?;
            json(&service.update_settings(&update)?)
        }
        (Method::Get, "export/reviews") | (Method::Get, "export/cards") => {
            export(service, path, query, deck)
        }
        _ => Err(ApiError::new(
            ErrorCode::PathNotFound,
            format!("no API route {method} /api/{path}"),
        )),
    }
}

fn export(
    service: &Service,
    path: &str,
    query: &HashMap<String, String>,
    deck: Option<&str>,
) -> ApiResult<Reply> {
    let (format, ext, content_type) = match query.get("format").map(String::as_str) {
        Some("json") => (ExportFormat::Json, "json", "application/json"),
        None | Some("csv") => (ExportFormat::Csv, "csv", "text/csv; charset=utf-8"),
        Some(other) => {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("unknown export format `{other}`: use csv or json"),
            ))
        }
    };
    let what = if path.ends_with("reviews") {
        "reviews"
    } else {
        "cards"
    };
    let file = std::env::temp_dir().join(format!(
        "notedeck-export-{}.{ext}",
        uuid::Uuid::new_v4().simple()
    ));
    let io = |e: std::io::Error| {
        ApiError::new(
            ErrorCode::Io,
            format!("cannot write {}: {e}", file.display()),
        )
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).map_err(io)?);
    let result = if what == "reviews" {
        service.export_reviews(deck, format, &mut out)
    } else {
        service.export_cards(deck, format, &mut out)
    };
    let flushed = std::io::Write::flush(&mut out).map_err(io);
    drop(out);
    if let Err(error) = result.and(flushed) {
        let _ = std::fs::remove_file(&file);
        return Err(error);
    }
    Ok(Reply::File {
        file,
        name: format!("notedeck-{what}.{ext}"),
        content_type,
    })
}
