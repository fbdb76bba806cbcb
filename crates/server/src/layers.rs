//! What every request passes through before and after its handler: the
//! security headers, the panic net, the guard (Host, Origin, token),
//! JSON-only POSTs, and the body size and time limits (the whole body
//! within the read timeout, not only each piece of it).

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use notedeck_api::{ApiError, ErrorCode};
use tower_http::catch_panic::CatchPanicLayer;

use crate::guard::{Credentials, Refusal};
use crate::{AppState, Failure, MAX_BODY_BYTES, READ_TIMEOUT};

/// The policy of everything that is not a page: nothing may run or load.
pub const RESOURCE_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// `router` with every layer, outermost first: security headers, the panic
/// net, then the guard, which also reads the body within its time and size
/// limits.
pub fn wrap(router: Router<AppState>, state: AppState) -> Router {
    router
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn_with_state(state.clone(), check_request))
        .layer(CatchPanicLayer::custom(|_| {
            Failure(ApiError::internal()).into_response()
        }))
        .layer(from_fn(security_headers))
        .with_state(state)
}

fn header_text(headers: &HeaderMap, name: HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The `token` parameter of a query string, if any.
pub fn query_token(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(key, _)| key == "token")
        .map(|(_, value)| value.into_owned())
}

/// True for paths that need the token: the API (but its health check)
/// and the media files.
fn needs_token(path: &str) -> bool {
    (path.starts_with("/api/") && path != "/api/health") || path.starts_with("/media/")
}

/// How often a paired device's "last seen" is written, at most.
const SEEN_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// True when `token` is a paired device's (whose "last seen" is then
/// brought up to date, every few minutes at most).
async fn paired(state: &AppState, token: String) -> bool {
    let found = state
        .with_reader(move |s, _| s.device_holding(&token))
        .await
        .ok()
        .flatten();
    let Some(device) = found else {
        return false;
    };
    let now = state.now();
    let stale = chrono::DateTime::parse_from_rfc3339(&device.last_seen)
        .map_or(true, |seen| now.signed_duration_since(seen) > SEEN_EVERY);
    if stale {
        let _ = state
            .with_service(move |s, now| s.device_seen(&device.id, now))
            .await;
    }
    true
}

/// The guard and the JSON-only rule; a page opened with the right
/// `?token=` gets the token as a cookie and is sent on without it in its
/// URL (so it stays out of history and `Referer`).
async fn check_request(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let guard = &state.0.guard;
    let headers = request.headers();
    let path = request.uri().path().to_owned();
    let token = query_token(request.uri().query());
    let given = Credentials {
        host: header_text(headers, header::HOST),
        origin: header_text(headers, header::ORIGIN),
        query_token: token.as_deref(),
        cookie: header_text(headers, header::COOKIE),
        header_token: header_text(headers, HeaderName::from_static("x-notedeck-token")),
    };
    let checked = if needs_token(&path) {
        guard.check(given)
    } else {
        guard.check_site(given.host, given.origin)
    };
    let mut on_device = false;
    let checked = match checked {
        // A paired device shows its own token instead of the server's.
        Err(Refusal::Token) => match crate::pairing::device_token(given.cookie) {
            Some(token) if paired(&state, token.to_owned()).await => {
                on_device = true;
                Ok(())
            }
            _ => Err(Refusal::Token),
        },
        other => other,
    };
    if let Err(refusal) = checked {
        return Failure(ApiError::new(ErrorCode::Forbidden, refusal.message())).into_response();
    }
    if on_device {
        request.extensions_mut().insert(crate::PairedDevice);
    }
    let with_token = token.as_deref().is_some_and(|t| {
        guard.token_in(Credentials {
            query_token: Some(t),
            ..Credentials::default()
        })
    });
    if request.method() == Method::POST {
        let json = header_text(request.headers(), header::CONTENT_TYPE)
            .is_some_and(|t| t.starts_with("application/json"));
        if !json {
            let error = ApiError::new(
                ErrorCode::InvalidInput,
                "POST requests must send application/json",
            );
            return (StatusCode::UNSUPPORTED_MEDIA_TYPE, axum::Json(error)).into_response();
        }
    }
    // The whole body within the read timeout, and within the size limit,
    // before any handler (and so the collection) sees the request.
    let request = if request.method() == Method::POST {
        let (parts, body) = request.into_parts();
        match tokio::time::timeout(READ_TIMEOUT, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
            Ok(Ok(bytes)) => Request::from_parts(parts, axum::body::Body::from(bytes)),
            Ok(Err(_)) => {
                let error = ApiError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "the request body is over {} KiB or was cut off",
                        MAX_BODY_BYTES / 1024
                    ),
                );
                return (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(error)).into_response();
            }
            Err(_) => {
                let error = ApiError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "the request body did not arrive within {} s",
                        READ_TIMEOUT.as_secs()
                    ),
                );
                return (StatusCode::REQUEST_TIMEOUT, axum::Json(error)).into_response();
            }
        }
    } else {
        request
    };
    let cookie = with_token.then(|| {
        format!(
            "{}={}; HttpOnly; SameSite=Strict; Path=/{}",
            guard.cookie_name(),
            guard.token(),
            guard.cookie_suffix()
        )
    });
    let page = request.method() == Method::GET && !needs_token(&path) && path != "/api/health";
    let mut response = if page && with_token {
        let rest: Vec<(String, String)> = request
            .uri()
            .query()
            .map(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .filter(|(key, _)| key != "token")
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let mut location = path.clone();
        if !rest.is_empty() {
            location.push('?');
            location.push_str(
                &form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(rest)
                    .finish(),
            );
        }
        let location = HeaderValue::from_str(&location).unwrap_or(HeaderValue::from_static("/"));
        (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
    } else {
        next.run(request).await
    };
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Headers every response carries, errors included; a handler that set
/// its own policy (a page, a media file) keeps it.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let defaults: [(HeaderName, &'static str); 7] = [
        (header::CONTENT_SECURITY_POLICY, RESOURCE_CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in defaults {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}
