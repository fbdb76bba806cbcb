//! Tauri's build step: capabilities, the config and the embedded UI.

fn main() {
    tauri_build::build();
}
