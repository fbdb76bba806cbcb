//! The notedeck desktop app: a window showing the web UI, whose `invoke`
//! calls land here and go straight to the service layer. No business logic
//! lives in this crate: the operations of [`notedeck_api::OPERATIONS`] that
//! answer with JSON are one command, `call`, that dispatches by name; those
//! that deliver a file (the exports) are one command, `save_file`, that
//! writes it where a save dialog says; the import (progress on a channel)
//! has a command of its own, named as its operation, from the same request
//! type; the rest (dialogs, links, media, timing) is the window's own.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::Mutex;
use std::time::Instant;

use chrono::Utc;
use notedeck_api::{
    ApiError, ApiResult, Delivery, ErrorCode, ImportNotesRequest, ImportProgressDto,
    ImportReportDto, ProgressGate, Service,
};
use serde_json::Value;
use tauri::ipc::{Channel, JavaScriptChannelId};
use tauri::{Manager, State};

/// The allocator the `notedeck` CLI uses (see there): imports here are as fast.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The open collection, shared by every command, or why it could not be
/// opened (every command then answers with that reason, so the window shows
/// it instead of closing).
struct App(
    Mutex<Result<Service, ApiError>>,
    /// Wakes the background sync after a change (none: no collection).
    Option<notedeck_api::SyncWaker>,
);

impl App {
    /// Runs one command on the collection. A panic in it is answered as an
    /// error and the app goes on: the lock is taken back even after a
    /// panic (an open transaction rolled back as it unwound).
    fn with<T>(&self, f: impl FnOnce(&mut Service) -> ApiResult<T>) -> ApiResult<T> {
        let mut service = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match service.as_mut() {
            Ok(service) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(service)))
                .unwrap_or_else(|_| Err(ApiError::internal())),
            Err(error) => Err(error.clone()),
        }
    }

    /// Asks the background sync to run once this batch of changes settles.
    fn changed(&self) {
        if let Some(sync) = &self.1 {
            sync.wake();
        }
    }
}

/// The server phones review through (as `notedeck serve --lan`), started
/// the first time a pairing code is asked for and kept while the app is
/// open.
#[derive(Default)]
struct Phone(Mutex<Option<notedeck_server::Spawned>>);

/// The port phones are served on when it is free: the same as `notedeck
/// serve`'s, so a paired phone (its cookie belongs to the address and
/// port) finds the app again after a restart.
const PHONE_PORT: u16 = 7870;

/// Serves the collection to phones on the home network (started on the
/// first call, kept while the app is open) and offers a new pairing code
/// with its URL and QR code.
#[tauri::command(async, rename_all = "snake_case")]
fn pair_phone(app: State<'_, App>, phone: State<'_, Phone>) -> ApiResult<notedeck_api::PairingDto> {
    let mut running = phone
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if running.is_none() {
        let path = app.with(|s| Ok(s.path().to_owned()))?;
        let start = |port| -> ApiResult<notedeck_server::Spawned> {
            let options = notedeck_server::Options {
                host: std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
                port,
                fixed_now: None,
                token: None,
                lan: true,
                tls: None,
            };
            notedeck_server::spawn(Service::open(&path)?, options).map_err(|e| {
                ApiError::new(
                    ErrorCode::Io,
                    format!("notedeck could not serve your phone: {e}"),
                )
            })
        };
        // Another program (`notedeck serve`) may hold the usual port.
        *running = Some(start(PHONE_PORT).or_else(|_| start(0))?);
    }
    match running.as_ref() {
        Some(server) => server.offer_pairing(),
        None => Err(ApiError::internal()),
    }
}

/// When the process started, for the launch-to-first-card measurement.
static LAUNCHED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// With `NOTEDECK_TIMINGS` set, says on standard error how long after
/// launch `what` happened (for the latency benchmark). The variable is read
/// once, and `what` is formatted only when it is set: every call (each
/// answer too) passes through here.
fn timing(what: std::fmt::Arguments<'_>) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("NOTEDECK_TIMINGS").is_some()) {
        let ms = LAUNCHED
            .get()
            .map_or(0.0, |at| at.elapsed().as_secs_f64() * 1000.0);
        eprintln!("notedeck: {what} {ms:.1} ms after launch");
    }
}

/// Milliseconds from process start to now; the UI calls it once, when the
/// first card is on screen (the benchmarks read it).
#[tauri::command(rename_all = "snake_case")]
fn first_card_shown() -> f64 {
    let ms = LAUNCHED
        .get()
        .map_or(0.0, |at| at.elapsed().as_secs_f64() * 1000.0);
    if std::env::var_os("NOTEDECK_TIMINGS").is_some() {
        eprintln!("notedeck: first card shown {ms:.1} ms after launch");
    }
    ms
}

/// Runs the operation `op` (one of [`notedeck_api::OPERATIONS`] that
/// answers with JSON) with its request `args`, on a thread for blocking
/// work: a call waiting for the collection (or a long one, such as the
/// day's summary) never holds up the async threads that deliver other
/// calls' answers to the page.
#[tauri::command(rename_all = "snake_case")]
async fn call(app: tauri::AppHandle, op: String, args: Option<Value>) -> ApiResult<Value> {
    tauri::async_runtime::spawn_blocking(move || call_now(&app.state::<App>(), &op, args))
        .await
        .unwrap_or_else(|_| Err(ApiError::internal()))
}

/// [`call`], on the calling thread.
fn call_now(app: &App, op: &str, args: Option<Value>) -> ApiResult<Value> {
    let operation = notedeck_api::operation(op)?;
    if operation.delivery != Delivery::Json {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("`{op}` has a command of its own"),
        ));
    }
    timing(format_args!("call {op} received"));
    let result = app.with(|s| s.dispatch(op, args.unwrap_or(Value::Null), Utc::now(), &mut |_| {}));
    timing(format_args!("call {op} answered"));
    if result.is_ok() && operation.access == notedeck_api::Access::Write {
        app.changed();
    }
    result
}

/// Imports notes; `on_progress`, a channel from the UI, receives
/// [`ImportProgressDto`]s (at most one every 50 ms, and each phase change).
#[tauri::command(async, rename_all = "snake_case")]
fn import_notes(
    webview: tauri::Webview,
    app: State<'_, App>,
    paths: Vec<String>,
    deck: Option<String>,
    dry_run: bool,
    on_progress: Option<JavaScriptChannelId>,
) -> ApiResult<ImportReportDto> {
    let (paths, request) = ImportNotesRequest {
        paths,
        deck,
        dry_run,
    }
    .checked()?;
    let channel: Option<Channel<ImportProgressDto>> = on_progress.map(|id| id.channel_on(webview));
    let mut gate = ProgressGate::default();
    let report = app.with(|s| {
        s.import(&paths, &request, Utc::now(), &mut |progress| {
            if let Some(channel) = channel.as_ref().filter(|_| gate.admit(&progress)) {
                let _ = channel.send(progress);
            }
        })
    });
    if report.is_ok() {
        app.changed();
    }
    report
}

/// Brings in an Anki package (`import_anki`); `on_progress` hears the
/// import of its notes as `import_notes` does.
#[tauri::command(async, rename_all = "snake_case")]
fn import_anki(
    webview: tauri::Webview,
    app: State<'_, App>,
    request: notedeck_api::ImportAnkiRequest,
    on_progress: Option<JavaScriptChannelId>,
) -> ApiResult<notedeck_api::AnkiImportDto> {
    let channel: Option<Channel<ImportProgressDto>> = on_progress.map(|id| id.channel_on(webview));
    let mut gate = ProgressGate::default();
    let report = app.with(|s| {
        s.import_anki(&request, Utc::now(), &mut |progress| {
            if let Some(channel) = channel.as_ref().filter(|_| gate.admit(&progress)) {
                let _ = channel.send(progress);
            }
        })
    });
    if report.is_ok() {
        app.changed();
    }
    report
}

/// Opens a web, mail or Obsidian link with the system's default program
/// (the window itself never leaves the app). Other schemes are refused.
#[tauri::command(rename_all = "snake_case")]
fn open_external(url: String) -> ApiResult<()> {
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    if !matches!(
        scheme.as_deref(),
        Some("http" | "https" | "mailto" | "obsidian")
    ) {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("notedeck only opens web, mail and Obsidian links, not `{url}`"),
        ));
    }
    tauri_plugin_opener::open_url(&url, None::<&str>).map_err(|e| {
        ApiError::new(
            ErrorCode::Io,
            format!("could not open {url}: {e}; is a program for it installed?"),
        )
    })
}

/// Opens a media file of the collection (a PDF a card links) with the
/// system's viewer; only names the media rule serves.
#[tauri::command(rename_all = "snake_case")]
fn open_media(name: String) -> ApiResult<()> {
    let dir = notedeck_api::media_dir_of(&notedeck_api::default_collection_path()?);
    if notedeck_api::media::open_served(&dir, &name).is_none() {
        return Err(ApiError::new(
            ErrorCode::PathNotFound,
            format!("no media file `{name}`"),
        ));
    }
    tauri_plugin_opener::open_path(dir.join(&name), None::<&str>).map_err(|e| {
        ApiError::new(
            ErrorCode::Io,
            format!("could not open {name}: {e}; is a PDF viewer installed?"),
        )
    })
}

/// Serves the collection's media (`media/<name>` in card HTML) to the
/// window as `media://localhost/<name>`, by the one rule every shell
/// follows (`notedeck_api::media::open_served`): content-hash names with
/// a media ending, regular files only, a fixed content type per kind, and
/// a policy under which nothing in them runs.
fn media_response(
    media_dir: Option<&std::path::Path>,
    request: &tauri::http::Request<Vec<u8>>,
) -> tauri::http::Response<Vec<u8>> {
    use std::io::Read;
    let name = request.uri().path().trim_start_matches('/');
    let found = media_dir
        .and_then(|dir| notedeck_api::media::open_served(dir, name))
        .and_then(|mut served| {
            let mut bytes = Vec::with_capacity(served.len as usize);
            served.file.read_to_end(&mut bytes).ok()?;
            Some((bytes, served.content_type))
        });
    let builder = tauri::http::Response::builder()
        .header("X-Content-Type-Options", "nosniff")
        .header("Content-Security-Policy", notedeck_api::MEDIA_CSP);
    let response = match found {
        Some((bytes, content_type)) => builder.header("Content-Type", content_type).body(bytes),
        None => builder
            .status(404)
            .header("Content-Type", "text/plain")
            .body(format!("no media file `{name}`").into_bytes()),
    };
    response.unwrap_or_default()
}

/// Asks for folders (or note files) to import with the native dialog.
#[tauri::command(async, rename_all = "snake_case")]
fn pick_import_paths(window: tauri::WebviewWindow, folders: bool) -> ApiResult<Vec<String>> {
    use tauri_plugin_dialog::DialogExt;
    let dialog = window.dialog().file().set_parent(&window);
    let chosen = if folders {
        dialog.blocking_pick_folders()
    } else {
        dialog
            .add_filter(
                "Notes and Anki packages",
                &["md", "markdown", "txt", "apkg", "colpkg"],
            )
            .blocking_pick_files()
    };
    Ok(chosen
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .map(|p| p.display().to_string())
        .collect())
}

/// Asks where to save an export with the native dialog, then writes it
/// there (see [`notedeck_api::write_whole_file`]). Returns the
/// path, or a note that nothing was saved.
fn save_export(
    window: &tauri::WebviewWindow,
    name: &str,
    write: impl FnOnce(&mut dyn std::io::Write) -> ApiResult<u64>,
) -> ApiResult<String> {
    use tauri_plugin_dialog::DialogExt;
    let Some(choice) = window
        .dialog()
        .file()
        .set_file_name(name)
        .set_parent(window)
        .blocking_save_file()
    else {
        return Ok("Export cancelled: nothing was saved.".to_owned());
    };
    let path = choice
        .into_path()
        .map_err(|e| ApiError::new(ErrorCode::Io, format!("cannot save there: {e}")))?;
    let shown = path.display().to_string();
    notedeck_api::write_whole_file(&path, write)?;
    Ok(shown)
}

/// Saves the file an operation delivers (the exports: see
/// [`notedeck_api::file_delivery`]) where the learner chooses.
#[tauri::command(async, rename_all = "snake_case")]
fn save_file(
    window: tauri::WebviewWindow,
    app: State<'_, App>,
    op: String,
    args: Option<Value>,
) -> ApiResult<String> {
    let delivery = notedeck_api::file_delivery(&op, args.unwrap_or(Value::Null))?;
    let name = delivery.file_name.clone();
    save_export(&window, &name, |w| {
        app.with(|s| delivery.write_to(s, Utc::now(), w))
    })
}

/// The app's context, with the page's policy from the one place every
/// shell takes it ([`notedeck_api::page_csp`]).
fn context() -> tauri::Context<tauri::Wry> {
    let mut context = tauri::generate_context!();
    context.config_mut().app.security.csp = Some(tauri::utils::config::Csp::Policy(
        notedeck_api::page_csp(notedeck_api::PageShell::Desktop, true),
    ));
    context
}

/// Opens the collection every shell shares (see
/// [`notedeck_api::default_collection_path`]); an empty one gets the
/// sample decks.
fn open() -> ApiResult<Service> {
    let mut service = Service::open(&notedeck_api::default_collection_path()?)?;
    service.seed_sample_decks(Utc::now())?;
    Ok(service)
}

/// The deck of `--review [DECK]` (`Some(None)`: every deck); `None`
/// without `--review`.
fn review_deck() -> Option<Option<String>> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("--review") => Some(args.next()),
        _ => None,
    }
}

/// The page the window opens on: the deck list, or with `--review [DECK]`
/// today's review (of one deck), as a launcher shortcut or the latency
/// benchmark wants.
fn start_page() -> String {
    match review_deck() {
        Some(Some(deck)) => format!("index.html#/review?deck={}", encode_component(&deck)),
        Some(None) => "index.html#/review".to_owned(),
        None => "index.html".to_owned(),
    }
}

/// How long the window may wait for [`launch_answers`] (it is almost
/// always done first: it starts before Tauri and GTK do).
const LAUNCH_ANSWERS_WAIT: std::time::Duration = std::time::Duration::from_millis(30);

/// What the review page asks first (the settings, today's queue of `deck`
/// and the day's summary), answered while the window is being built, on
/// connections of their own (the summary, which counts every deck, beside
/// the other two), as a script that leaves them on
/// `window.__notedeckLaunch`: the page then shows its first card without
/// asking anything (the UI takes them once per tab, and only within
/// seconds of `at`). The same JSON the calls answer with; none when a
/// call fails.
fn launch_answers(
    path: std::path::PathBuf,
    deck: Option<String>,
) -> std::sync::mpsc::Receiver<String> {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let now = Utc::now();
        let deck_args = serde_json::json!({ "deck": deck });
        let ask = |calls: &[(&str, &Value)]| -> Option<Vec<Value>> {
            let mut service = Service::open(&path).ok()?;
            calls
                .iter()
                .map(|(op, args)| service.dispatch(op, (*args).clone(), now, &mut |_| {}).ok())
                .collect()
        };
        let script = std::thread::scope(|scope| {
            let summary = scope.spawn(|| ask(&[("day_summary", &deck_args)]));
            let first = ask(&[("settings", &Value::Null), ("due", &deck_args)])?;
            let summary = summary.join().ok()??;
            let [settings, due] = <[Value; 2]>::try_from(first).ok()?;
            let at = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64);
            let launch = serde_json::json!({
                "at": at, "deck": deck, "settings": settings, "due": due, "summary": summary.first(),
            });
            Some(format!("window.__notedeckLaunch = {launch};"))
        });
        if let Some(script) = script {
            let _ = send.send(script);
        }
        timing(format_args!("launch answers ready"));
    });
    receive
}

/// Percent-encodes everything but unreserved characters.
fn encode_component(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What `--help` prints.
const USAGE: &str = "notedeck-desktop: the notedeck app (spaced repetition for your Markdown notes)

Usage: notedeck-desktop [--review [DECK]]

Options:
  --review [DECK]  open on today's review (of DECK and its sub-decks)
  -h, --help       print this help
  -V, --version    print the version

The collection is the one every notedeck shell shares (NOTEDECK_DB, else the
platform data folder's notedeck/collection.sqlite3). `notedeck --help` lists
the command-line tool.";

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return;
        }
        Some("-V" | "--version") => {
            println!("notedeck-desktop {}", env!("CARGO_PKG_VERSION"));
            return;
        }
        _ => {}
    }
    LAUNCHED.get_or_init(Instant::now);
    let service = open().inspect_err(|err| eprintln!("notedeck: {}", err.message));
    timing(format_args!("collection opened"));
    // Sync through the folder the user's sync carries, when one is set: at
    // start and every few seconds while the app is open.
    let sync = service.as_ref().ok().map(|service| {
        notedeck_api::sync_in_background(
            service.path().to_owned(),
            notedeck_api::SYNC_EVERY,
            Utc::now,
        )
    });
    // No collection path, no media: never fall back to the working folder.
    let media_dir = notedeck_api::default_collection_path()
        .ok()
        .map(|path| notedeck_api::media_dir_of(&path));
    let start = start_page();
    let launch = match (&service, review_deck()) {
        (Ok(service), Some(deck)) => Some(launch_answers(service.path().to_owned(), deck)),
        _ => None,
    };
    let result = tauri::Builder::default()
        .setup(move |app| {
            // The window is made here (not from the config) so that
            // `--review` can open it on today's review.
            let mut config = app
                .config()
                .app
                .windows
                .first()
                .cloned()
                .ok_or("tauri.conf.json describes no window")?;
            config.url = tauri::WebviewUrl::App(start.clone().into());
            let mut window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?;
            let ready = launch
                .as_ref()
                .and_then(|answers| answers.recv_timeout(LAUNCH_ANSWERS_WAIT).ok());
            let late = launch.is_some() && ready.is_none();
            if let Some(script) = ready {
                window = window.initialization_script(&script);
            }
            if late {
                timing(format_args!(
                    "window building (no launch answers: they were late or failed)"
                ));
            } else {
                timing(format_args!("window building"));
            }
            window.build()?;
            timing(format_args!("window built"));
            Ok(())
        })
        .plugin(tauri_plugin_dialog::init())
        .register_uri_scheme_protocol("media", move |_ctx, request| {
            media_response(media_dir.as_deref(), &request)
        })
        .manage(App(Mutex::new(service), sync))
        .manage(Phone::default())
        .invoke_handler(tauri::generate_handler![
            call,
            import_notes,
            import_anki,
            pick_import_paths,
            save_file,
            first_card_shown,
            open_external,
            open_media,
            pair_phone
        ])
        .run(context());
    if let Err(err) = result {
        eprintln!("notedeck: the window could not start: {err}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic inside a command is answered as an error, and every later
    /// command still reaches the collection (issue 10: it used to answer
    /// "collection is unavailable" until restarted).
    #[test]
    fn a_panicking_command_leaves_the_app_working() {
        let dir =
            std::env::temp_dir().join(format!("notedeck-desktop-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let service = Service::open(&dir.join("collection.sqlite3")).expect("open");
        let app = App(Mutex::new(Ok(service)), None);
        let failed: ApiResult<()> = app.with(|_| panic!("a bug in a command"));
        let error = failed.expect_err("the panic is an error");
        assert!(
            error.message.contains("internal error"),
            "{}",
            error.message
        );
        let settings = app.with(|s| s.settings()).expect("the next command works");
        assert_eq!(settings.rollover_hour, 4);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Every operation reaches a command the window may invoke: `call`
    /// for JSON, `save_file` for a file, its own (of the same name) for
    /// progress.
    #[test]
    fn every_operation_reaches_a_command() {
        let source = include_str!("main.rs");
        let handler = source
            .split("generate_handler![")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .expect("the invoke handler");
        let commands: Vec<&str> = handler.split(',').map(str::trim).collect();
        for op in notedeck_api::OPERATIONS {
            let command = match op.delivery {
                Delivery::Json => "call",
                Delivery::File => "save_file",
                Delivery::Progress => op.name,
            };
            assert!(
                commands.contains(&command),
                "`{}` needs the command `{command}` in the invoke handler",
                op.name
            );
        }
    }
}
