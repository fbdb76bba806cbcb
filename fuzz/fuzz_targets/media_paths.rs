//! Fuzzes how notes reference media: any reference (a path, `..`, `/…`,
//! percent escapes, links out of the vault) must resolve only to a media
//! file inside the imported folder, whose content matches its ending.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use notedeck_core::import::media::{audit_reference, audit_vault};

fn vault() -> &'static PathBuf {
    static VAULT: OnceLock<PathBuf> = OnceLock::new();
    VAULT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("notedeck-fuzz-media-{}", std::process::id()));
        audit_vault(&dir).expect("build the audit vault")
    })
}

fuzz_target!(|data: &[u8]| {
    if data.len() > 4096 {
        return;
    }
    audit_reference(vault(), &String::from_utf8_lossy(data));
});
