//! `notedeck serve`: the web UI and a JSON API over the same service layer,
//! on 127.0.0.1 by default. Requests are handled one at a time, in order, on
//! one thread that owns the collection.

mod assets;
mod guard;
mod routes;
mod stream;

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use notedeck_api::{ApiError, ErrorCode, Service};
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use guard::{Guard, Refusal};

/// The Content-Security-Policy of every page: scripts, styles and fonts only
/// from the server itself, no plugins, no framing; images may come from the
/// web because notes link them.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data: https: http:; font-src 'self'; connect-src 'self'; \
     object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Serves until the process is stopped.
pub fn run(
    mut service: Service,
    host: IpAddr,
    port: u16,
    fixed_now: Option<DateTime<Utc>>,
) -> Result<()> {
    let server = Server::http(SocketAddr::new(host, port)).map_err(|e| {
        anyhow::anyhow!("cannot listen on {host}:{port}: {e}; choose another --port")
    })?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .context("the server has no TCP address")?;
    let guard = Guard::new(port, host.is_loopback());
    let shown_host = if host.is_unspecified() || host.is_loopback() {
        "127.0.0.1".to_owned()
    } else {
        host.to_string()
    };
    // Whoever started the server may stop reading its output: printing
    // must not stop the server.
    let mut out = std::io::stdout();
    let _ = match guard.token() {
        Some(token) => writeln!(
            out,
            "notedeck is serving http://{shown_host}:{port}/?token={token}"
        ),
        None => writeln!(out, "notedeck is serving http://{shown_host}:{port}/"),
    };
    if !assets::has_ui() {
        let _ = writeln!(out, "(the web UI was not built into this binary: run `make run` or `npm --prefix ui run build`, then rebuild)");
    }
    let _ = out.flush();
    let media_dir = notedeck_api::media_dir_of(service.path());
    for request in server.incoming_requests() {
        let now = fixed_now.unwrap_or_else(Utc::now);
        handle(&mut service, &guard, &media_dir, request, now);
    }
    Ok(())
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

fn handle(
    service: &mut Service,
    guard: &Guard,
    media_dir: &std::path::Path,
    mut request: Request,
    now: DateTime<Utc>,
) {
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let query = routes::parse_query(query);
    let check = guard.check(
        header(&request, "Host"),
        header(&request, "Origin"),
        query.get("token").map(String::as_str),
        header(&request, "Cookie"),
        header(&request, "X-Notedeck-Token"),
    );
    if let Err(refusal) = check {
        let message = match refusal {
            Refusal::Host => "this server only answers requests addressed to itself (Host check)",
            Refusal::Origin => "requests from other sites are refused (Origin check)",
            Refusal::Token => "a token is required: open the URL notedeck serve printed",
        };
        let _ = request.respond(error_response(
            403,
            &ApiError::new(ErrorCode::Forbidden, message),
        ));
        return;
    }
    let mut body = String::new();
    if *request.method() == Method::Post {
        let is_json =
            header(&request, "Content-Type").is_some_and(|t| t.starts_with("application/json"));
        if !is_json {
            let error = ApiError::new(
                ErrorCode::InvalidInput,
                "POST requests must send application/json",
            );
            let _ = request.respond(error_response(415, &error));
            return;
        }
        if request
            .as_reader()
            .take(16 * 1024 * 1024)
            .read_to_string(&mut body)
            .is_err()
        {
            let error = ApiError::new(
                ErrorCode::InvalidInput,
                "the request body is not UTF-8 text",
            );
            let _ = request.respond(error_response(400, &error));
            return;
        }
    }
    let set_cookie = query
        .get("token")
        .filter(|t| guard.token() == Some(t.as_str()))
        .map(|t| format!("notedeck_token={t}; HttpOnly; SameSite=Strict; Path=/"));
    let method = request.method().clone();
    let headers = common_headers(path, set_cookie);
    if method == Method::Post && path == "/api/import/stream" {
        match routes::import_body(&body) {
            Ok((paths, import)) => stream::import(service, request, &headers, &paths, &import, now),
            Err(error) => respond(request, error_response(status_of(&error), &error), &headers),
        }
        return;
    }
    let response = if let Some(api) = path.strip_prefix("/api/") {
        match routes::api(service, &method, api, &query, &body, now) {
            Ok(routes::Reply::Json(json)) => json_response(200, json),
            Ok(routes::Reply::File {
                file,
                name,
                content_type,
            }) => match std::fs::File::open(&file) {
                Ok(handle) => {
                    // The temporary file is unlinked at once; the open handle streams it.
                    let _ = std::fs::remove_file(&file);
                    Response::from_file(handle)
                        .with_header(text_header("Content-Type", content_type))
                        .with_header(text_header(
                            "Content-Disposition",
                            &format!("attachment; filename=\"{name}\""),
                        ))
                        .boxed()
                }
                Err(e) => error_response(500, &ApiError::new(ErrorCode::Io, e.to_string())),
            },
            Err(error) => error_response(status_of(&error), &error),
        }
    } else if let Some(name) = path.strip_prefix("/media/") {
        media_response(media_dir, name)
    } else {
        asset_response(path.trim_start_matches('/'))
    };
    respond(request, response, &headers);
}

/// The headers of every response: security policy, caching, and the token
/// cookie when the URL carried a valid token.
fn common_headers(path: &str, set_cookie: Option<String>) -> Vec<(&'static str, String)> {
    // Vite names built assets by content hash: they never change.
    let cache = if path.starts_with("/assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-store"
    };
    let mut headers = vec![
        ("Content-Security-Policy", CSP.to_owned()),
        ("X-Content-Type-Options", "nosniff".to_owned()),
        ("Referrer-Policy", "no-referrer".to_owned()),
        ("Cache-Control", cache.to_owned()),
    ];
    if let Some(cookie) = set_cookie {
        headers.push(("Set-Cookie", cookie));
    }
    headers
}

fn respond(request: Request, mut response: Reply, headers: &[(&'static str, String)]) {
    for (name, value) in headers {
        response.add_header(text_header(name, value));
    }
    let _ = request.respond(response);
}

fn status_of(error: &ApiError) -> u16 {
    match error.code {
        ErrorCode::PathNotFound | ErrorCode::DeckNotFound | ErrorCode::CardNotFound => 404,
        ErrorCode::InvalidInput
        | ErrorCode::NoSources
        | ErrorCode::NothingToUndo
        | ErrorCode::CardRetired => 400,
        ErrorCode::BadBackup
        | ErrorCode::NewerSchema
        | ErrorCode::NotACollection
        | ErrorCode::Damaged => 409,
        ErrorCode::Forbidden => 403,
        ErrorCode::DiskFull => 507,
        ErrorCode::Storage | ErrorCode::Io => 500,
    }
}

type Reply = Response<Box<dyn Read + Send>>;

fn text_header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Invalid-Header"[..], &b"1"[..]).expect("a static header is valid")
    })
}

fn json_response(status: u16, json: String) -> Reply {
    Response::from_data(json.into_bytes())
        .with_status_code(StatusCode(status))
        .with_header(text_header("Content-Type", "application/json"))
        .boxed()
}

fn error_response(status: u16, error: &ApiError) -> Reply {
    let json = serde_json::to_string(error).unwrap_or_else(|_| "{}".to_owned());
    json_response(status, json)
}

fn media_response(dir: &std::path::Path, name: &str) -> Reply {
    let safe = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && !name.starts_with('.');
    let file = safe
        .then(|| dir.join(name))
        .and_then(|p| std::fs::File::open(p).ok());
    match file {
        Some(file) => Response::from_file(file)
            .with_header(text_header("Content-Type", assets::content_type(name)))
            .boxed(),
        None => error_response(
            404,
            &ApiError::new(ErrorCode::PathNotFound, format!("no media file `{name}`")),
        ),
    }
}

fn asset_response(path: &str) -> Reply {
    match assets::find(path).or_else(|| {
        // Unknown paths without a file extension are app routes.
        (!path.contains('.')).then(|| assets::find("index.html")).flatten()
    }) {
        Some((bytes, content_type)) => Response::from_data(bytes.to_vec())
            .with_header(text_header("Content-Type", content_type))
            .boxed(),
        None if path.is_empty() || path == "index.html" => Response::from_string(
            "notedeck: the web UI is not built into this binary. Run `npm --prefix ui ci && npm --prefix ui run build`, then rebuild notedeck.",
        )
        .with_status_code(StatusCode(503))
        .boxed(),
        None => error_response(404, &ApiError::new(ErrorCode::PathNotFound, format!("no such page `/{path}`"))),
    }
}
