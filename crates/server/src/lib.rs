//! `notedeck serve`: the web UI and a JSON API over the same service layer
//! as every other shell, on axum (hyper, tokio).
//!
//! Requests run concurrently; the collection is one writing [`Service`] and
//! a small pool of reading ones ([`READERS`]: reads answer while an import
//! writes, and beside each other), each behind a mutex and used on tokio's
//! blocking threads, so a slow or stuck client (one
//! that sends its body a byte a minute, or never reads its answer) holds a
//! connection task, never the collection. Every request is bounded: headers
//! and bodies must arrive within [`READ_TIMEOUT`], bodies are at most
//! [`MAX_BODY_BYTES`], a search stops at its budget or as soon as its
//! client disconnects (`api`), and a panic while answering becomes a 500
//! error while the server goes on. See `SECURITY.md` for who may use the
//! server.

mod api;
mod assets;
mod files;
mod guard;
pub mod lan;
mod layers;
mod pairing;
mod stream;
mod tls;

use std::net::{IpAddr, SocketAddr};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use notedeck_api::{ApiError, ApiResult, ErrorCode, Service};

pub use guard::{Credentials, Guard, Refusal};
pub use tls::TlsFiles;

/// How long a client may take to send a request's headers, or its body.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest request body accepted (import requests and answers are a
/// few hundred bytes).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Reading connections to the collection (statistics, exports, the queue
/// and the deck list run on them side by side).
pub const READERS: usize = 2;
const _: () = assert!(READERS > 0, "requests that read need a reading connection");

/// Connections served at once; more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 256;

/// Where and how to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// The address to listen on.
    pub host: IpAddr,
    /// The port (0 picks a free one).
    pub port: u16,
    /// A fixed time instead of the clock (for tests and scripts).
    pub fixed_now: Option<DateTime<Utc>>,
    /// The token to require (a fresh random one when `None`).
    pub token: Option<String>,
    /// Listen on every interface as well as loopback and offer the home
    /// network's address (`serve --lan`; `host` is then ignored).
    pub lan: bool,
    /// Serve https with these files instead of plain http.
    pub tls: Option<TlsFiles>,
}

/// What the server tells whoever started it once it listens.
#[derive(Debug, Clone)]
pub struct Listening {
    /// The URL to open, with the token.
    pub url: String,
    /// Other lines worth printing (other addresses, a missing UI build).
    pub notes: Vec<String>,
    /// With `--lan`: the URL as a QR code drawn in text, for a phone's
    /// camera.
    pub qr: Option<String>,
}

/// The state every request shares.
struct Shared {
    /// The connection that writes (answers, imports, settings).
    service: Mutex<Service>,
    /// Connections for what only reads (decks, queue, statistics,
    /// exports): WAL lets them read while an import writes.
    readers: Vec<Mutex<Service>>,
    /// The reader a request waits for when every reader is busy.
    next_reader: std::sync::atomic::AtomicUsize,
    guard: Guard,
    media_dir: PathBuf,
    fixed_now: Option<DateTime<Utc>>,
    /// The pairing codes on offer (`serve --lan`).
    pairing: Mutex<pairing::Codes>,
    /// The addresses a phone may use, best first (`serve --lan`; none
    /// otherwise), and the port.
    lan: Option<Vec<lan::Candidate>>,
    port: u16,
    /// Wakes the background sync after a change (answers, imports).
    sync: notedeck_api::SyncWaker,
}

impl Shared {
    /// A reading connection: the first one free, else the next in turn
    /// (waiting for it).
    fn free_reader(&self) -> std::sync::MutexGuard<'_, Service> {
        for reader in &self.readers {
            match reader.try_lock() {
                Ok(service) => return service,
                Err(std::sync::TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => {}
            }
        }
        let turn = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        self.readers[turn]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Takes `service`'s lock, also after a panic in its holder (an open
/// transaction rolled back as it unwound).
fn lock(service: &Mutex<Service>) -> std::sync::MutexGuard<'_, Service> {
    service.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The connection a request runs on.
#[derive(Debug, Clone, Copy)]
enum Connection {
    /// The one that writes.
    Writer,
    /// The first reading connection free (else the next in turn).
    AnyReader,
    /// The first reading connection, waiting for it if busy.
    FirstReader,
}

/// The address a request came from.
#[derive(Debug, Clone, Copy)]
struct Peer(IpAddr);

/// Set on a request a paired device made (its cookie let it in): another
/// device, whatever address it came from (a phone tried through loopback).
#[derive(Debug, Clone, Copy)]
struct PairedDevice;

/// A handle on the shared state for handlers.
#[derive(Clone)]
struct AppState(Arc<Shared>);

impl AppState {
    fn now(&self) -> DateTime<Utc> {
        self.0.fixed_now.unwrap_or_else(Utc::now)
    }

    /// Runs `work` on the collection on a blocking thread. A panic in it is
    /// answered as an error, and the collection stays usable (an open
    /// transaction rolled back when it unwound).
    async fn with_service<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Service, DateTime<Utc>) -> ApiResult<T> + Send + 'static,
    {
        self.run(Connection::Writer, work).await
    }

    /// As [`AppState::with_service`], on the reading connection: it does
    /// not wait for an import or an answer being written.
    async fn with_reader<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Service, DateTime<Utc>) -> ApiResult<T> + Send + 'static,
    {
        self.run(Connection::AnyReader, work).await
    }

    /// As [`AppState::with_reader`], always on the first reading
    /// connection: for an operation that keeps what it read on its
    /// connection for the next call ([`notedeck_api::Operation::keeps_what_it_read`]).
    async fn with_first_reader<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Service, DateTime<Utc>) -> ApiResult<T> + Send + 'static,
    {
        self.run(Connection::FirstReader, work).await
    }

    async fn run<T, F>(&self, connection: Connection, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Service, DateTime<Utc>) -> ApiResult<T> + Send + 'static,
    {
        let state = self.clone();
        let now = self.now();
        tokio::task::spawn_blocking(move || {
            let mut service = match connection {
                Connection::Writer => lock(&state.0.service),
                Connection::AnyReader => state.0.free_reader(),
                Connection::FirstReader => lock(&state.0.readers[0]),
            };
            std::panic::catch_unwind(AssertUnwindSafe(|| work(&mut service, now)))
                .unwrap_or_else(|_| Err(ApiError::internal()))
        })
        .await
        .unwrap_or_else(|_| Err(ApiError::internal()))
    }
}

/// An [`ApiError`] as an HTTP response.
struct Failure(ApiError);

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        Failure(error)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = axum::http::StatusCode::from_u16(status_of(&self.0))
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self.0)).into_response()
    }
}

/// The HTTP status for an API error code.
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
        | ErrorCode::UndoMoved
        | ErrorCode::Damaged => 409,
        ErrorCode::Forbidden => 403,
        ErrorCode::DiskFull => 507,
        ErrorCode::Storage | ErrorCode::Io => 500,
    }
}

/// Serves until the process is stopped; `ready` is called once the server
/// listens, with the URL to open.
pub fn run(
    service: Service,
    options: Options,
    ready: impl FnOnce(&Listening),
) -> std::io::Result<()> {
    runtime()?.block_on(serve(service, options, |listening, _| ready(listening)))
}

/// The runtime a server runs on: two workers, and blocking threads with
/// the parser's stack.
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(16)
        .thread_stack_size(notedeck_api::PARSER_STACK_BYTES)
        .thread_name("notedeck-serve")
        .enable_all()
        .build()
}

/// A server running on a thread of its own: the desktop app's "Review on
/// your phone", which serves `serve --lan` while the app is open.
pub struct Spawned {
    listening: Listening,
    state: AppState,
}

impl Spawned {
    /// Where it listens, as `serve` prints it.
    pub fn listening(&self) -> &Listening {
        &self.listening
    }

    /// A new pairing code, with its URL and QR code.
    pub fn offer_pairing(&self) -> ApiResult<notedeck_api::PairingDto> {
        pairing::offer(&self.state)
    }
}

/// Starts serving `service`'s collection on a thread of its own; returns
/// once it listens (or could not).
pub fn spawn(service: Service, options: Options) -> std::io::Result<Spawned> {
    let (sent, received) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("notedeck-serve".into())
        .spawn(move || {
            let runtime = match runtime() {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = sent.send(Err(error));
                    return;
                }
            };
            let ready = sent.clone();
            let served = runtime.block_on(serve(service, options, move |listening, state| {
                let _ = ready.send(Ok(Spawned {
                    listening: listening.clone(),
                    state: state.clone(),
                }));
            }));
            if let Err(error) = served {
                let _ = sent.send(Err(error));
            }
        })?;
    received
        .recv_timeout(Duration::from_secs(30))
        .map_err(|_| std::io::Error::other("the server did not start within 30 s"))?
}

async fn serve(
    service: Service,
    options: Options,
    ready: impl FnOnce(&Listening, &AppState),
) -> std::io::Result<()> {
    let host = if options.lan {
        IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
    } else {
        options.host
    };
    let acceptor = match &options.tls {
        Some(files) => Some(tls::acceptor(files).map_err(std::io::Error::other)?),
        None => None,
    };
    let address = SocketAddr::new(host, options.port);
    let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot listen on {address}: {e}; choose another --port"),
        )
    })?;
    let port = listener.local_addr()?.port();
    let lan = options.lan.then(lan::candidates);
    let mut guard = Guard::new(host, port, options.token.clone());
    if acceptor.is_some() {
        guard = guard.over_tls();
    }
    if let Some(candidates) = &lan {
        guard = guard.on_lan(candidates.iter().map(|c| IpAddr::V4(c.address)).collect());
    }
    let media_dir = notedeck_api::media_dir_of(service.path());
    // Sync through the folder the user's sync carries, when one is set:
    // at start and every few seconds while serving.
    let fixed_now = options.fixed_now;
    // NOTEDECK_SYNC_EVERY_MS sets another pace (tests and scripts).
    let every = std::env::var("NOTEDECK_SYNC_EVERY_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .filter(|ms| *ms >= 50)
        .map_or(notedeck_api::SYNC_EVERY, Duration::from_millis);
    let sync = notedeck_api::sync_in_background(service.path().to_owned(), every, move || {
        fixed_now.unwrap_or_else(Utc::now)
    });
    let readers = (0..READERS)
        .map(|_| Service::open(service.path()).map(Mutex::new))
        .collect::<ApiResult<Vec<_>>>()
        .map_err(|e| std::io::Error::other(e.message))?;
    let state = AppState(Arc::new(Shared {
        service: Mutex::new(service),
        readers,
        next_reader: std::sync::atomic::AtomicUsize::new(0),
        guard,
        media_dir,
        fixed_now: options.fixed_now,
        pairing: Mutex::new(pairing::Codes::default()),
        lan: lan.clone(),
        sync,
        port,
    }));
    let code = lan.as_ref().map(|_| {
        state
            .0
            .pairing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .offer(std::time::Instant::now())
    });
    ready(
        &match &lan {
            Some(candidates) => listening_on_lan(
                &state.0.guard,
                candidates,
                port,
                code.as_deref().unwrap_or(""),
            ),
            None => listening(&state.0.guard, host, port),
        },
        &state,
    );
    let app = layers::wrap(api::router(), state);
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = slots.clone().acquire_owned().await else {
            return Ok(());
        };
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors and the like: wait, then go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Each request knows the address it came from (`Access::Here`).
        let service = TowerToHyperService::new(tower::ServiceExt::map_request(
            app.clone(),
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(Peer(peer.ip()));
                request
            },
        ));
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            // HTTP/1.1 only: browsers speak nothing else over plain HTTP.
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(READ_TIMEOUT)
                .max_buf_size(64 * 1024);
            match acceptor {
                None => {
                    let _ = builder
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                }
                // The handshake, too, within the read timeout.
                Some(acceptor) => {
                    if let Ok(Ok(stream)) =
                        tokio::time::timeout(READ_TIMEOUT, acceptor.accept(stream)).await
                    {
                        let _ = builder
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    }
                }
            }
            drop(permit);
        });
    }
}

/// The URL to print, and where else the server can be reached.
fn listening(guard: &Guard, host: IpAddr, port: u16) -> Listening {
    let token = guard.token();
    let mut notes = Vec::new();
    let shown = if host.is_unspecified() {
        let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .map(|n| n.trim().to_owned())
            .filter(|n| {
                !n.is_empty()
                    && n.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b))
            });
        notes.push(format!(
            "listening on every address of this machine; on this machine itself: {}://127.0.0.1:{port}/?token={token}",
            guard.scheme()
        ));
        name.unwrap_or_else(|| "127.0.0.1".to_owned())
    } else {
        match host {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        }
    };
    if !assets::has_ui() {
        notes.push("(the web UI was not built into this binary: run `make run` or `npm --prefix ui run build`, then rebuild)".to_owned());
    }
    Listening {
        url: format!("{}://{shown}:{port}/?token={token}", guard.scheme()),
        notes,
        qr: None,
    }
}

/// The URL a phone opens (the best home-network address), the other
/// candidates, this machine's own URL and the QR code of the first.
fn listening_on_lan(
    guard: &Guard,
    candidates: &[lan::Candidate],
    port: u16,
    code: &str,
) -> Listening {
    let token = guard.token();
    let scheme = guard.scheme();
    let url_of = |address: &str| format!("{scheme}://{address}:{port}/?token={token}");
    let local = url_of("127.0.0.1");
    let Some((best, others)) = candidates.split_first() else {
        let pair = format!("{scheme}://127.0.0.1:{port}/pair?code={code}");
        return Listening {
            url: local,
            notes: vec![
                "no network address found: a phone cannot reach this machine; is it on the network?"
                    .to_owned(),
                format!("pair a browser of this machine (one use, within 10 minutes): {pair}"),
            ],
            qr: lan::qr_text(&pair),
        };
    };
    let url = url_of(&best.address.to_string());
    let pair = format!("{scheme}://{}:{port}/pair?code={code}", best.address);
    let mut notes = vec![
        format!("on the home network, from {}", best.interface),
        format!("pair a phone (one use, within 10 minutes): {pair}"),
    ];
    for other in others {
        notes.push(format!(
            "also: {} (from {})",
            url_of(&other.address.to_string()),
            other.interface
        ));
    }
    notes.push(format!("on this machine itself: {local}"));
    if !assets::has_ui() {
        notes.push("(the web UI was not built into this binary: run `make run` or `npm --prefix ui run build`, then rebuild)".to_owned());
    }
    Listening {
        qr: lan::qr_text(&pair),
        url,
        notes,
    }
}
