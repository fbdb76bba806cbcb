//! The JSON API: one route per service operation, translating HTTP to calls
//! of [`Service`](notedeck_api::Service) and results to JSON. No business
//! logic lives here.

use std::collections::HashMap;
use std::path::PathBuf;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use notedeck_api::{
    ApiError, ApiResult, ErrorCode, ExportFormat, ImportRequest, SettingsUpdate, MAX_STATS_DAYS,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::{files, stream, AppState, Failure};

/// Every route of the server.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/health",
            get(|| async { Json(serde_json::json!({ "ok": true })) }),
        )
        .route("/api/decks", get(decks))
        .route("/api/cards", get(cards))
        .route("/api/due", get(due))
        .route("/api/summary", get(summary))
        .route("/api/answer", post(answer))
        .route("/api/undo", post(undo))
        .route("/api/import", post(import))
        .route("/api/import/stream", post(stream::import))
        .route("/api/sources", get(sources))
        .route("/api/stats", get(stats))
        .route("/api/settings", get(settings).post(update_settings))
        .route("/api/export/reviews", get(export_reviews))
        .route("/api/export/cards", get(export_cards))
        .route("/api/{*rest}", axum::routing::any(no_route))
        .route("/media/{name}", get(files::media))
        .fallback(files::page)
}

type Reply<T> = Result<Json<T>, Failure>;

/// The query parameters the API reads, kept as text so that bad values
/// get a JSON error naming them.
type Params = Query<HashMap<String, String>>;

fn deck(params: &HashMap<String, String>) -> Option<String> {
    params.get("deck").filter(|d| !d.is_empty()).cloned()
}

/// Parses a request body as JSON (an empty body is `{}`).
pub fn body<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> ApiResult<T> {
    let bytes = body.map_err(|rejection| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("the request body could not be read: {rejection}"),
        )
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        ApiError::new(
            ErrorCode::InvalidInput,
            "the request body is not UTF-8 text",
        )
    })?;
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_json::from_str(text)
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, format!("bad request body: {e}")))
}

async fn no_route(method: axum::http::Method, uri: axum::http::Uri) -> Failure {
    Failure(ApiError::new(
        ErrorCode::PathNotFound,
        format!("no API route {method} {}", uri.path()),
    ))
}

async fn decks(State(state): State<AppState>) -> Reply<Vec<notedeck_api::DeckNode>> {
    Ok(Json(state.with_reader(|s, now| s.decks(now)).await?))
}

async fn cards(
    State(state): State<AppState>,
    Query(params): Params,
) -> Reply<Vec<notedeck_api::CardDto>> {
    let deck = deck(&params);
    Ok(Json(
        state
            .with_reader(move |s, _| s.cards(deck.as_deref()))
            .await?,
    ))
}

async fn due(
    State(state): State<AppState>,
    Query(params): Params,
) -> Reply<Vec<notedeck_api::QueueCardDto>> {
    let deck = deck(&params);
    Ok(Json(
        state
            .with_reader(move |s, now| {
                s.daily_backup_in_background(now)?;
                s.due(deck.as_deref(), now)
            })
            .await?,
    ))
}

async fn summary(State(state): State<AppState>) -> Reply<notedeck_api::DaySummaryDto> {
    Ok(Json(state.with_reader(|s, now| s.day_summary(now)).await?))
}

#[derive(Deserialize)]
struct AnswerBody {
    card_id: String,
    grade: String,
    duration_ms: Option<i64>,
}

async fn answer(
    State(state): State<AppState>,
    text: Result<Bytes, BytesRejection>,
) -> Reply<notedeck_api::AnswerDto> {
    let answer: AnswerBody = body(text)?;
    Ok(Json(
        state
            .with_service(move |s, now| {
                s.answer(&answer.card_id, &answer.grade, now, answer.duration_ms)
            })
            .await?,
    ))
}

async fn undo(State(state): State<AppState>) -> Reply<notedeck_api::AnswerDto> {
    Ok(Json(state.with_service(|s, now| s.undo(now)).await?))
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
pub fn import_body(
    text: Result<Bytes, BytesRejection>,
) -> ApiResult<(Vec<PathBuf>, ImportRequest)> {
    let import: ImportBody = body(text)?;
    if import.paths.len() > 1000 {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "at most 1000 paths per import: import their folder instead",
        ));
    }
    let request = ImportRequest {
        deck: import.deck.filter(|d| !d.trim().is_empty()),
        dry_run: import.dry_run,
    };
    Ok((import.paths, request))
}

async fn import(
    State(state): State<AppState>,
    text: Result<Bytes, BytesRejection>,
) -> Reply<notedeck_api::ImportReportDto> {
    let (paths, request) = import_body(text)?;
    Ok(Json(
        state
            .with_service(move |s, now| s.import(&paths, &request, now, &mut |_| {}))
            .await?,
    ))
}

async fn sources(State(state): State<AppState>) -> Reply<Vec<String>> {
    Ok(Json(state.with_reader(|s, _| s.sources()).await?))
}

async fn stats(
    State(state): State<AppState>,
    Query(params): Params,
) -> Reply<notedeck_api::StatsDto> {
    let deck = deck(&params);
    let days = match params.get("days") {
        None => 30,
        Some(text) => text.parse::<u32>().map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!("days must be a whole number from 1 to {MAX_STATS_DAYS}, not `{text}`"),
            )
        })?,
    };
    Ok(Json(
        state
            .with_reader(move |s, now| s.stats(deck.as_deref(), days, now))
            .await?,
    ))
}

async fn settings(State(state): State<AppState>) -> Reply<notedeck_api::SettingsDto> {
    let settings = state.with_reader(|s, _| s.settings()).await?;
    state.set_remote_images(settings.remote_images);
    Ok(Json(settings))
}

async fn update_settings(
    State(state): State<AppState>,
    text: Result<Bytes, BytesRejection>,
) -> Reply<notedeck_api::SettingsDto> {
    let update: SettingsUpdate = body(text)?;
    let settings = state
        .with_service(move |s, _| s.update_settings(&update))
        .await?;
    state.set_remote_images(settings.remote_images);
    Ok(Json(settings))
}

async fn export_reviews(State(state): State<AppState>, Query(params): Params) -> Response {
    export(state, params, "reviews").await
}

async fn export_cards(State(state): State<AppState>, Query(params): Params) -> Response {
    export(state, params, "cards").await
}

async fn export(state: AppState, params: HashMap<String, String>, what: &'static str) -> Response {
    let (format, ext, content_type) = match params.get("format").map(String::as_str) {
        Some("json") => (ExportFormat::Json, "json", "application/json"),
        None | Some("csv") => (ExportFormat::Csv, "csv", "text/csv; charset=utf-8"),
        Some(other) => {
            return Failure(ApiError::new(
                ErrorCode::InvalidInput,
                format!("unknown export format `{other}`: use csv or json"),
            ))
            .into_response()
        }
    };
    let deck = deck(&params);
    let written = state
        .with_reader(move |s, _| files::export_to_temp(s, what, deck.as_deref(), format, ext))
        .await;
    match written {
        Ok(file) => files::download(file, &format!("notedeck-{what}.{ext}"), content_type).await,
        Err(error) => Failure(error).into_response(),
    }
}
