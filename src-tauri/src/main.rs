//! The notedeck desktop app: a window showing the web UI, whose `invoke`
//! calls land here and go straight to the service layer. No business logic
//! lives in this crate; every command is one call of [`Service`].

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::Utc;
use notedeck_api::{
    AnswerDto, ApiError, ApiResult, CardDto, DaySummaryDto, DeckNode, ErrorCode, ExportFormat,
    ImportReportDto, ImportRequest, QueueCardDto, Service, SettingsDto, SettingsUpdate, StatsDto,
};
use tauri::State;

/// The sample decks, built into the binary so the first start is never empty.
const SAMPLE_DECKS: &[(&str, &str)] = &[
    (
        "notedeck-tour.md",
        include_str!("../../decks/notedeck-tour.md"),
    ),
    (
        "ai-alignment.md",
        include_str!("../../decks/ai-alignment.md"),
    ),
];

/// The open collection, shared by every command.
struct App(Mutex<Service>);

impl App {
    fn with<T>(&self, f: impl FnOnce(&mut Service) -> ApiResult<T>) -> ApiResult<T> {
        let mut service = self.0.lock().map_err(|_| {
            ApiError::new(
                ErrorCode::Storage,
                "the collection is unavailable after an earlier failure; restart notedeck",
            )
        })?;
        f(&mut service)
    }
}

#[tauri::command(rename_all = "snake_case")]
fn decks(app: State<'_, App>) -> ApiResult<Vec<DeckNode>> {
    app.with(|s| s.decks(Utc::now()))
}

#[tauri::command(rename_all = "snake_case")]
fn due(app: State<'_, App>, deck: Option<String>) -> ApiResult<Vec<QueueCardDto>> {
    app.with(|s| {
        s.daily_backup(Utc::now())?;
        s.due(deck.as_deref(), Utc::now())
    })
}

#[tauri::command(rename_all = "snake_case")]
fn answer(
    app: State<'_, App>,
    card_id: String,
    grade: String,
    duration_ms: Option<i64>,
) -> ApiResult<AnswerDto> {
    app.with(|s| s.answer(&card_id, &grade, Utc::now(), duration_ms))
}

#[tauri::command(rename_all = "snake_case")]
fn undo(app: State<'_, App>) -> ApiResult<AnswerDto> {
    app.with(|s| s.undo(Utc::now()))
}

#[tauri::command(rename_all = "snake_case")]
fn day_summary(app: State<'_, App>) -> ApiResult<DaySummaryDto> {
    app.with(|s| s.day_summary(Utc::now()))
}

#[tauri::command(async, rename_all = "snake_case")]
fn import_notes(
    app: State<'_, App>,
    paths: Vec<PathBuf>,
    deck: Option<String>,
    dry_run: bool,
) -> ApiResult<ImportReportDto> {
    let request = ImportRequest {
        deck: deck.filter(|d| !d.trim().is_empty()),
        dry_run,
    };
    app.with(|s| s.import(&paths, &request, Utc::now(), &mut |_| {}))
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
            .add_filter("Notes", &["md", "markdown", "txt"])
            .blocking_pick_files()
    };
    Ok(chosen
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .map(|p| p.display().to_string())
        .collect())
}

#[tauri::command(rename_all = "snake_case")]
fn sources(app: State<'_, App>) -> ApiResult<Vec<String>> {
    app.with(|s| s.sources())
}

#[tauri::command(async, rename_all = "snake_case")]
fn stats(app: State<'_, App>, deck: Option<String>, days: Option<u32>) -> ApiResult<StatsDto> {
    app.with(|s| s.stats(deck.as_deref(), days.unwrap_or(30), Utc::now()))
}

#[tauri::command(rename_all = "snake_case")]
fn settings(app: State<'_, App>) -> ApiResult<SettingsDto> {
    app.with(|s| s.settings())
}

#[tauri::command(rename_all = "snake_case")]
fn update_settings(
    app: State<'_, App>,
    new_per_day: Option<i64>,
    reviews_per_day: Option<i64>,
    rollover_hour: Option<i64>,
) -> ApiResult<SettingsDto> {
    let update = SettingsUpdate {
        new_per_day,
        reviews_per_day,
        rollover_hour,
    };
    app.with(|s| s.update_settings(&update))
}

#[tauri::command(rename_all = "snake_case")]
fn cards(app: State<'_, App>, deck: Option<String>) -> ApiResult<Vec<CardDto>> {
    app.with(|s| s.cards(deck.as_deref()))
}

/// Asks where to save an export with the native dialog, then writes it
/// there (through a temporary file, renamed when complete). Returns the
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
    let io = |e: std::io::Error| ApiError::new(ErrorCode::Io, format!("cannot write {shown}: {e}"));
    let partial = path.with_extension("partial");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&partial).map_err(io)?);
    write(&mut out)?;
    std::io::Write::flush(&mut out).map_err(io)?;
    drop(out);
    std::fs::rename(&partial, &path).map_err(io)?;
    Ok(shown)
}

fn format_of(format: &str) -> ApiResult<ExportFormat> {
    match format {
        "csv" => Ok(ExportFormat::Csv),
        "json" => Ok(ExportFormat::Json),
        other => Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("unknown export format `{other}`: use csv or json"),
        )),
    }
}

#[tauri::command(async, rename_all = "snake_case")]
fn export_reviews(
    window: tauri::WebviewWindow,
    app: State<'_, App>,
    format: String,
    deck: Option<String>,
) -> ApiResult<String> {
    let kind = format_of(&format)?;
    save_export(&window, &format!("notedeck-reviews.{format}"), |w| {
        app.with(|s| s.export_reviews(deck.as_deref(), kind, w))
    })
}

#[tauri::command(async, rename_all = "snake_case")]
fn export_cards(
    window: tauri::WebviewWindow,
    app: State<'_, App>,
    format: String,
    deck: Option<String>,
) -> ApiResult<String> {
    let kind = format_of(&format)?;
    save_export(&window, &format!("notedeck-cards.{format}"), |w| {
        app.with(|s| s.export_cards(deck.as_deref(), kind, w))
    })
}

/// The collection shared with the CLI: `NOTEDECK_DB`, else the platform
/// data folder's `notedeck/collection.sqlite3`.
fn collection_path() -> ApiResult<PathBuf> {
    if let Some(path) = std::env::var_os("NOTEDECK_DB") {
        return Ok(PathBuf::from(path));
    }
    dirs::data_dir()
        .map(|d| d.join("notedeck").join("collection.sqlite3"))
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::Io,
                "cannot find this platform's data folder; set NOTEDECK_DB",
            )
        })
}

/// Opens the collection; an empty one gets the sample decks.
fn open() -> ApiResult<Service> {
    let path = collection_path()?;
    let mut service = Service::open(&path)?;
    if service.sources()?.is_empty() && service.cards(None)?.is_empty() {
        let folder = path.with_file_name("sample-decks");
        std::fs::create_dir_all(&folder)
            .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))?;
        for (name, text) in SAMPLE_DECKS {
            std::fs::write(folder.join(name), text)
                .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))?;
        }
        let request = ImportRequest {
            deck: Some("Sample decks".to_owned()),
            dry_run: false,
        };
        service.import(&[folder], &request, Utc::now(), &mut |_| {})?;
    }
    Ok(service)
}

fn main() {
    let service = match open() {
        Ok(service) => service,
        Err(err) => {
            eprintln!("notedeck: {}", err.message);
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(App(Mutex::new(service)))
        .invoke_handler(tauri::generate_handler![
            decks,
            due,
            answer,
            undo,
            day_summary,
            import_notes,
            sources,
            pick_import_paths,
            stats,
            settings,
            update_settings,
            cards,
            export_reviews,
            export_cards
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        eprintln!("notedeck: the window could not start: {err}");
        std::process::exit(1);
    }
}
