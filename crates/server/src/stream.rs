//! `POST /api/import/stream` (and `/api/anki/import/stream`, an Anki
//! package's): an import whose progress streams to the
//! browser as it happens, one JSON object per line (`application/x-ndjson`):
//! `{"progress":{done,total,phase}}` lines, then one `{"report":…}` or
//! `{"error":…}` line.
//!
//! The import runs on a blocking thread; lines go through a small channel
//! to the response body. A client that reads slowly misses progress lines
//! (never the last one), and one that went away stops the writing, not the
//! import. The collection is released before the last line is sent.

use std::convert::Infallible;
use std::panic::AssertUnwindSafe;
use std::sync::PoisonError;

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use notedeck_api::{ApiError, ProgressGate};

use crate::{api, AppState, Failure};

/// Starts the import and answers with its progress stream.
pub async fn import(
    State(state): State<AppState>,
    text: Result<Bytes, BytesRejection>,
) -> Response {
    let (paths, request) = match api::import_body(text) {
        Ok(parsed) => parsed,
        Err(error) => return Failure(error).into_response(),
    };
    stream_work(state, move |service, now, progress| {
        service
            .import(&paths, &request, now, progress)
            .map(|report| last_line(&report))
    })
}

/// `POST /api/anki/import/stream`: an Anki package brought in (on this
/// computer only, as `import_anki`), its notes' import streaming progress.
pub async fn import_anki(
    State(state): State<AppState>,
    peer: Option<axum::Extension<crate::Peer>>,
    device: Option<axum::Extension<crate::PairedDevice>>,
    text: Result<Bytes, BytesRejection>,
) -> Response {
    // The same rule as the operation's own route (this computer only).
    let here = notedeck_api::operation("import_anki").is_ok_and(|op| {
        api::allowed_from(
            op,
            peer.map(|axum::Extension(crate::Peer(ip))| ip),
            device.is_some(),
        )
    });
    if !here {
        return Failure(ApiError::new(
            notedeck_api::ErrorCode::Forbidden,
            "an Anki package is read on the computer that holds the collection: do it there",
        ))
        .into_response();
    }
    let request: notedeck_api::ImportAnkiRequest = match api::body(text) {
        Ok(request) => request,
        Err(error) => return Failure(error).into_response(),
    };
    stream_work(state, move |service, now, progress| {
        service
            .import_anki(&request, now, progress)
            .map(|report| last_line(&report))
    })
}

/// The last line of a stream that went well, `{"report":…}`, written
/// straight from the report (a big import's is many megabytes: no
/// `serde_json::Value` tree of it first).
fn last_line(report: &impl serde::Serialize) -> String {
    #[derive(serde::Serialize)]
    struct Last<'r, R> {
        report: &'r R,
    }
    let mut text = serde_json::to_string(&Last { report })
        .unwrap_or_else(|_| serde_json::json!({ "error": ApiError::internal() }).to_string());
    text.push('\n');
    text
}

/// Runs `work` on the writing connection on a blocking thread and answers
/// with its progress lines, then its last line.
fn stream_work(
    state: AppState,
    work: impl FnOnce(
            &mut notedeck_api::Service,
            chrono::DateTime<chrono::Utc>,
            &mut dyn FnMut(notedeck_api::ImportProgressDto),
        ) -> Result<String, ApiError>
        + Send
        + 'static,
) -> Response {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, Infallible>>(32);
    let now = state.now();
    tokio::task::spawn_blocking(move || {
        let line = |value: serde_json::Value| {
            let mut text = value.to_string();
            text.push('\n');
            Ok(Bytes::from(text))
        };
        let result = {
            let mut service = state
                .0
                .service
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let mut gate = ProgressGate::default();
            std::panic::catch_unwind(AssertUnwindSafe(|| {
                work(&mut service, now, &mut |progress| {
                    if gate.admit(&progress) {
                        // Full means the client is behind: skip this one.
                        let _ = sender.try_send(line(serde_json::json!({ "progress": progress })));
                    }
                })
            }))
            .unwrap_or_else(|_| Err(ApiError::internal()))
        };
        if result.is_ok() {
            // Records that waited for these notes' cards can merge now.
            state.0.sync.wake();
        }
        let last = match result {
            Ok(line) => Ok(Bytes::from(line)),
            Err(error) => line(serde_json::json!({ "error": error })),
        };
        let _ = sender.blocking_send(last);
    });
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(receiver));
    ([(header::CONTENT_TYPE, "application/x-ndjson")], body).into_response()
}
