//! The web UI built into the binary: `ui/dist`, embedded by `rust-embed`
//! (in every build profile, so tests serve what a release serves). Without
//! a built UI the server answers the API and a page saying how to build it.

use std::borrow::Cow;

use rust_embed::Embed;

#[derive(Embed)]
#[folder = "../../ui/dist/"]
#[allow_missing = true]
struct Ui;

/// The asset at `path` (without the leading `/`), with its content type.
pub fn find(path: &str) -> Option<(Cow<'static, [u8]>, &'static str)> {
    let path = if path.is_empty() { "index.html" } else { path };
    Ui::get(path).map(|file| (file.data, content_type(path)))
}

/// True when the UI was built before this binary.
pub fn has_ui() -> bool {
    Ui::get("index.html").is_some()
}

/// The content type for a file name.
pub fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}
