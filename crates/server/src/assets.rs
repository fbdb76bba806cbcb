//! The web UI built into the binary (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/ui_assets.rs"));

/// The asset at `path` (without the leading `/`), with its content type.
pub fn find(path: &str) -> Option<(&'static [u8], &'static str)> {
    let path = if path.is_empty() { "index.html" } else { path };
    ASSETS
        .iter()
        .find(|(name, _)| *name == path)
        .map(|(name, bytes)| (*bytes, content_type(name)))
}

/// True when the UI was built before this binary.
pub fn has_ui() -> bool {
    ASSETS.iter().any(|(name, _)| *name == "index.html")
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
