//! The JSON API: one route per operation of [`notedeck_api::OPERATIONS`],
//! made from that list. A GET route reads its request from the query
//! string, a POST route from the JSON body; both hand it to
//! [`Service::dispatch`](notedeck_api::Service::dispatch) on the reading or
//! the writing connection, as the operation declares; an operation that
//! delivers a file (the exports) becomes a download of its
//! [`FileDelivery`](notedeck_api::FileDelivery). The streamed import has a
//! route of its own. No business logic lives here.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use notedeck_api::{
    Access, ApiError, ApiResult, Cancel, Delivery, ErrorCode, ImportNotesRequest, Method,
    Operation, OPERATIONS,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{files, stream, AppState, Failure};

/// Every route of the server.
pub fn router() -> Router<AppState> {
    let mut router = Router::new()
        .route(
            "/api/health",
            get(|| async { Json(serde_json::json!({ "ok": true })) }),
        )
        .route("/api/pairing", post(crate::pairing::new_code));
    for op in OPERATIONS {
        router = router.route(op.path, route_of(op));
    }
    router
        .route("/api/import/stream", post(stream::import))
        .route("/api/anki/import/stream", post(stream::import_anki))
        .route("/pair", get(crate::pairing::pair))
        .route("/api/{*rest}", axum::routing::any(no_route))
        .route("/media/{name}", get(files::media))
        .fallback(files::page)
}

/// The handler of one operation's route.
fn route_of(op: &'static Operation) -> MethodRouter<AppState> {
    match (op.delivery, op.method) {
        (Delivery::File, _) => get(
            move |state: State<AppState>, query: Query<Vec<(String, String)>>| {
                file(state, query, op)
            },
        ),
        (_, Method::Get) => get(
            move |state: State<AppState>,
                  peer: Option<axum::Extension<crate::Peer>>,
                  device: Option<axum::Extension<crate::PairedDevice>>,
                  query: Query<Vec<(String, String)>>| {
                call(state, peer, device, op, Ok(query_request(query.0)))
            },
        ),
        (_, Method::Post) => post(
            move |state: State<AppState>,
                  peer: Option<axum::Extension<crate::Peer>>,
                  device: Option<axum::Extension<crate::PairedDevice>>,
                  text: Result<Bytes, BytesRejection>| {
                call(state, peer, device, op, body::<Value>(text))
            },
        ),
    }
}

/// Query parameters as a JSON request: each value a string, empty ones
/// left out (an empty `deck=` means every deck).
fn query_request(pairs: Vec<(String, String)>) -> Value {
    Value::Object(
        pairs
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| (key, Value::String(value)))
            .collect(),
    )
}

/// Cancels a request's work when dropped: hyper drops a request's future
/// when its client disconnects, and the blocking thread it started would
/// otherwise search on, holding its connection to the collection.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// True when `op` may run for a request from `peer`: an operation that
/// acts on this machine (`Access::Here`) only for this machine itself, and
/// never for a paired device (`on_device`), which is another machine.
pub(crate) fn allowed_from(
    op: &Operation,
    peer: Option<std::net::IpAddr>,
    on_device: bool,
) -> bool {
    op.access != Access::Here || (!on_device && peer.is_some_and(|ip| ip.is_loopback()))
}

/// Runs `op` with `request` on the connection it needs; a search it runs
/// stops when the client disconnects.
async fn call(
    State(state): State<AppState>,
    peer: Option<axum::Extension<crate::Peer>>,
    device: Option<axum::Extension<crate::PairedDevice>>,
    op: &'static Operation,
    request: ApiResult<Value>,
) -> Response {
    let request = match request {
        Ok(request) => request,
        Err(error) => return Failure(error).into_response(),
    };
    if !allowed_from(
        op,
        peer.map(|axum::Extension(crate::Peer(ip))| ip),
        device.is_some(),
    ) {
        return Failure(ApiError::new(
            ErrorCode::Forbidden,
            "this opens the note on the computer that holds the collection: do it there",
        ))
        .into_response();
    }
    let cancel = CancelOnDrop(Cancel::new());
    let cancelled = cancel.0.clone();
    let work = move |s: &mut notedeck_api::Service, now| {
        s.dispatch_cancellable(op.name, request, now, &mut |_| {}, &cancelled)
    };
    let outcome = match op.access {
        Access::Read | Access::Here if op.keeps_what_it_read() => {
            state.with_first_reader(work).await
        }
        Access::Read | Access::Here => state.with_reader(work).await,
        Access::Write => {
            let outcome = state.with_service(work).await;
            // A change (an answer, an action, an import) goes to the other
            // devices once the batch settles.
            if outcome.is_ok() {
                state.0.sync.wake();
            }
            outcome
        }
    };
    drop(cancel);
    match outcome {
        Ok(value) => Json(value).into_response(),
        Err(error) => Failure(error).into_response(),
    }
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

/// The paths and options of an import request body.
pub fn import_body(
    text: Result<Bytes, BytesRejection>,
) -> ApiResult<(Vec<std::path::PathBuf>, notedeck_api::ImportRequest)> {
    body::<ImportNotesRequest>(text)?.checked()
}

/// A file operation (the exports) as a download: written to a temporary
/// file on the reading connection, then sent under the name and content
/// type the operation gives.
async fn file(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
    op: &'static Operation,
) -> Response {
    let delivery = match notedeck_api::file_delivery(op.name, query_request(pairs)) {
        Ok(delivery) => delivery,
        Err(error) => return Failure(error).into_response(),
    };
    let (name, content_type) = (delivery.file_name.clone(), delivery.content_type);
    let written = state
        .with_reader(move |s, now| files::write_temp(op.name, |out| delivery.write_to(s, now, out)))
        .await;
    match written {
        Ok(file) => files::download(file, &name, content_type).await,
        Err(error) => Failure(error).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_a_note_is_only_for_this_machine() {
        let open = notedeck_api::operation("open_note").expect("op");
        let decks = notedeck_api::operation("decks").expect("op");
        let phone: std::net::IpAddr = "192.168.1.40".parse().expect("ip");
        let loopback = Some("127.0.0.1".parse().expect("ip"));
        assert!(allowed_from(open, loopback, false));
        assert!(allowed_from(open, Some("::1".parse().expect("ip")), false));
        assert!(!allowed_from(open, Some(phone), false));
        assert!(!allowed_from(open, None, false));
        // A paired device is another machine, even through loopback.
        assert!(!allowed_from(open, loopback, true));
        assert!(allowed_from(decks, Some(phone), true));
        assert!(allowed_from(decks, loopback, true));
    }
}
