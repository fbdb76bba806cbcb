//! Rebuilds the server when the built web UI (`ui/dist`, embedded by
//! `rust-embed` in `assets`) changes, files added or removed included.

fn main() {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    println!("cargo:rerun-if-changed={}", dist.join("assets").display());
}
