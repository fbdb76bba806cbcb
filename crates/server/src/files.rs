//! Responses made of files: the UI's pages and assets, the media files
//! cards show, and export downloads.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use notedeck_api::media;
use notedeck_api::{page_csp, ApiError, ApiResult, ErrorCode, PageShell};

use crate::{assets, AppState, Failure};

/// The policy of a media file, the same in every shell.
pub use notedeck_api::MEDIA_CSP;

fn not_found(what: String) -> Response {
    Failure(ApiError::new(ErrorCode::PathNotFound, what)).into_response()
}

/// `GET /media/{name}`: a file of the collection's media folder, with the
/// fixed content type of its kind. Names are content hashes with a media
/// ending; links and anything but regular files are refused.
pub async fn media(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let dir = state.0.media_dir.clone();
    let lookup = name.clone();
    let served = tokio::task::spawn_blocking(move || media::open_served(&dir, &lookup))
        .await
        .ok()
        .flatten();
    let Some(served) = served else {
        return not_found(format!("no media file `{name}`"));
    };
    let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(served.file));
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(served.content_type),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(served.len));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(MEDIA_CSP),
    );
    // Named by content: it never changes.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    if served.kind == media::MediaKind::Pdf {
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment"),
        );
    }
    response
}

/// Every other `GET`: the UI's assets, and `index.html` for app routes.
pub async fn page(
    State(state): State<AppState>,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    if method != axum::http::Method::GET && method != axum::http::Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            axum::Json(ApiError::new(
                ErrorCode::InvalidInput,
                format!("{method} is not allowed here"),
            )),
        )
            .into_response();
    }
    let path = uri.path().trim_start_matches('/');
    let secure = state.0.guard.secure();
    if path == MANIFEST && secure {
        return (
            [(header::CONTENT_TYPE, "application/manifest+json")],
            WEB_APP_MANIFEST,
        )
            .into_response();
    }
    let found = assets::find(path).or_else(|| {
        // Unknown paths without a file extension are app routes.
        (!path.contains('.'))
            .then(|| assets::find("index.html"))
            .flatten()
    });
    let Some((bytes, content_type)) = found else {
        if path.is_empty() || path == "index.html" {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "notedeck: the web UI is not built into this binary. Run `npm --prefix ui ci && npm --prefix ui run build`, then rebuild notedeck.",
            )
                .into_response();
        }
        return not_found(format!("no such page `/{path}`"));
    };
    let is_page = content_type.starts_with("text/html");
    let body = if is_page && secure {
        Body::from(with_manifest(&bytes))
    } else {
        Body::from(bytes)
    };
    let mut response = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response();
    let out = response.headers_mut();
    if path.starts_with("assets/") {
        // Vite names built assets by content hash: they never change.
        out.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    if is_page {
        // The guard let only this server's own names through as Host.
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        // The page's policy on web images follows the setting as stored
        // now (a settings change, here or from the CLI, applies on the next
        // page load); unreadable settings block them.
        let remote_images = state
            .with_reader(|s, _| s.settings())
            .await
            .is_ok_and(|settings| settings.remote_images);
        if let Ok(csp) =
            HeaderValue::from_str(&page_csp(PageShell::Web { host, secure }, remote_images))
        {
            out.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
    }
    response
}

/// Where the web app manifest is served (over https only).
const MANIFEST: &str = "manifest.webmanifest";

/// The web app manifest: what a phone's browser needs to add notedeck to
/// the home screen. Offered only over https, where browsers allow it.
const WEB_APP_MANIFEST: &str = r##"{
  "name": "notedeck",
  "short_name": "notedeck",
  "description": "Spaced repetition from your own notes",
  "start_url": "/",
  "scope": "/",
  "display": "standalone",
  "background_color": "#f6f4ef",
  "theme_color": "#2c6a59",
  "icons": [
    { "src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png" },
    { "src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png" },
    { "src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable" }
  ]
}
"##;

/// The UI's page with the manifest and the home-screen icon linked (over
/// https).
fn with_manifest(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let links = format!(
        "<link rel=\"manifest\" href=\"/{MANIFEST}\"><link rel=\"apple-touch-icon\" href=\"/icons/icon-192.png\"></head>"
    );
    text.replacen("</head>", &links, 1).into_bytes()
}

/// A new temporary file of `write`'s output (removed again if it fails):
/// the collection is needed only while writing it; the download streams
/// afterwards.
pub fn write_temp(
    what: &str,
    write: impl FnOnce(&mut dyn std::io::Write) -> ApiResult<u64>,
) -> ApiResult<PathBuf> {
    let file = std::env::temp_dir().join(format!(
        "notedeck-{what}-{}.part",
        uuid::Uuid::new_v4().simple()
    ));
    let io = |e: std::io::Error| {
        ApiError::new(
            ErrorCode::Io,
            format!("cannot write {}: {e}", file.display()),
        )
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).map_err(io)?);
    let result = write(&mut out);
    let flushed = std::io::Write::flush(&mut out).map_err(io);
    drop(out);
    if let Err(error) = result.and(flushed) {
        let _ = std::fs::remove_file(&file);
        return Err(error);
    }
    Ok(file)
}

/// Streams `file` as a download named `name`, deleting it once opened.
pub async fn download(file: PathBuf, name: &str, content_type: &'static str) -> Response {
    let opened = match tokio::fs::File::open(&file).await {
        Ok(handle) => handle,
        Err(e) => {
            return Failure(ApiError::new(ErrorCode::Io, e.to_string())).into_response();
        }
    };
    // The open handle streams it; the name goes at once.
    let _ = tokio::fs::remove_file(&file).await;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(tokio_util::io::ReaderStream::new(opened)),
    )
        .into_response()
}
