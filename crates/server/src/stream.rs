//! `POST /api/import/stream`: an import whose progress streams to the
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
                service.import(&paths, &request, now, &mut |progress| {
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
            Ok(report) => serde_json::json!({ "report": report }),
            Err(error) => serde_json::json!({ "error": error }),
        };
        let _ = sender.blocking_send(line(last));
    });
    let body = Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(receiver));
    ([(header::CONTENT_TYPE, "application/x-ndjson")], body).into_response()
}
