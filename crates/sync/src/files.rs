//! The sync folder on disk: `notedeck-sync/<device id>/` per device, each
//! holding `device.json` (its name) and `<yyyy-mm>.jsonl` files of records
//! that only that device appends to. This module is the one that touches
//! those files: this device's are appended to and flushed to disk; other
//! devices' are only read, from where the last read stopped, bounded.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use notedeck_core::{Error, Result};

/// The folder inside the sync folder that notedeck uses.
pub const ROOT: &str = "notedeck-sync";

/// The most bytes read from one file in one sync (the rest next time).
pub const MAX_READ_BYTES: u64 = 64 << 20;

/// The computer's name, for other devices' status lines.
pub fn host_name() -> String {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|n| n.trim().chars().take(80).collect::<String>())
        .unwrap_or_default();
    if name.is_empty() {
        "this computer".to_owned()
    } else {
        name
    }
}

/// A device's folder.
pub fn device_dir(folder: &Path, device: &str) -> PathBuf {
    folder.join(ROOT).join(device)
}

/// Appends `lines` (each without its newline) to `name` in this device's
/// folder, and flushes the file to disk.
pub fn append(folder: &Path, device: &str, name: &str, lines: &[String]) -> Result<()> {
    let dir = device_dir(folder, device);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let path = dir.join(name);
    let context = || format!("writing {}", path.display());
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| Error::io(context(), e))?;
    let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(context(), e))
}

/// Writes this device's `device.json` (its name) when it says otherwise,
/// through a temporary file renamed over it.
pub fn write_device_card(folder: &Path, device: &str, text: &str) -> Result<()> {
    let dir = device_dir(folder, device);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let path = dir.join("device.json");
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    let temp = dir.join(".device.json.tmp");
    let context = || format!("writing {}", path.display());
    std::fs::write(&temp, text)
        .and_then(|()| std::fs::rename(&temp, &path))
        .map_err(|e| Error::io(context(), e))
}

/// Another device's name from its `device.json`, if it can be read.
pub fn device_name(folder: &Path, device: &str) -> Option<String> {
    let path = device_dir(folder, device).join("device.json");
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_string(&mut text)
        .ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value
        .get("name")?
        .as_str()
        .map(|n| n.chars().take(80).collect())
}

/// The device folders in the sync folder (their names: device ids).
pub fn devices(folder: &Path) -> Result<Vec<String>> {
    let root = folder.join(ROOT);
    let entries = match std::fs::read_dir(&root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("reading {}", root.display()), e)),
    };
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| !name.starts_with('.'))
        .collect();
    found.sort();
    Ok(found)
}

/// The record files in a device's folder (conflict copies included), by
/// name.
pub fn record_files(folder: &Path, device: &str) -> Result<Vec<String>> {
    let dir = device_dir(folder, device);
    let entries =
        std::fs::read_dir(&dir).map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| name.ends_with(".jsonl") && !name.starts_with('.'))
        .collect();
    found.sort();
    Ok(found)
}

/// What reading a file from an offset gave.
pub struct Chunk {
    /// The bytes from the offset (at most [`MAX_READ_BYTES`]).
    pub bytes: Vec<u8>,
    /// Where they start: the offset asked for, or 0 when the file is now
    /// shorter than it (replaced by the sync tool: read again whole).
    pub from: u64,
}

/// Reads a device's file `name` from `offset`.
pub fn read_from(folder: &Path, device: &str, name: &str, offset: u64) -> Result<Chunk> {
    let path = device_dir(folder, device).join(name);
    let context = || format!("reading {}", path.display());
    let mut file = std::fs::File::open(&path).map_err(|e| Error::io(context(), e))?;
    let len = file.metadata().map_err(|e| Error::io(context(), e))?.len();
    let from = if len < offset { 0 } else { offset };
    file.seek(SeekFrom::Start(from))
        .map_err(|e| Error::io(context(), e))?;
    let mut bytes = Vec::new();
    file.take(MAX_READ_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(context(), e))?;
    Ok(Chunk { bytes, from })
}
