//! Sync through a folder the user's own sync carries: setting it up,
//! syncing, where it stands, turning it off.

use crate::*;

impl Service {
    /// Points the collection at `folder` and syncs.
    pub fn sync_set_folder(
        &mut self,
        folder: &Path,
        now: DateTime<Utc>,
    ) -> ApiResult<SyncReportDto> {
        let report = notedeck_sync::set_folder(&mut self.collection, folder, now)?;
        Ok(report_dto(report))
    }

    /// Writes this device's new records and merges the others' (nothing
    /// when sync is off).
    pub fn sync_now(&mut self, now: DateTime<Utc>) -> ApiResult<SyncReportDto> {
        Ok(report_dto(notedeck_sync::run(&mut self.collection, now)?))
    }

    /// Where sync stands.
    pub fn sync_status(&self) -> ApiResult<SyncStatusDto> {
        let status = notedeck_sync::status(&self.collection)?;
        Ok(SyncStatusDto {
            folder: status.folder.map(|f| f.to_string_lossy().into_owned()),
            device_id: status.device_id,
            device_name: status.device_name,
            devices: status
                .devices
                .into_iter()
                .map(|d| SyncDeviceDto {
                    id: d.id,
                    name: d.name,
                    last_record_at: d.last_record_at,
                    records: d.records,
                    skipped: d.skipped,
                    problems: d.problems,
                    conflict_copies: d.conflict_copies,
                    waiting: d.waiting,
                    waiting_reason: d.waiting_reason,
                })
                .collect(),
        })
    }

    /// Sets the folder (and syncs), or with none turns sync off; gives
    /// where sync stands then.
    pub fn sync_folder(
        &mut self,
        folder: Option<&str>,
        now: DateTime<Utc>,
    ) -> ApiResult<SyncStatusDto> {
        match folder.map(str::trim).filter(|f| !f.is_empty()) {
            Some(folder) => {
                self.sync_set_folder(Path::new(folder), now)?;
            }
            None => self.sync_off()?,
        }
        self.sync_status()
    }

    /// Stops syncing; everything merged so far stays.
    pub fn sync_off(&mut self) -> ApiResult<()> {
        Ok(notedeck_core::sync::turn_off(&mut self.collection)?)
    }
}

fn report_dto(report: notedeck_sync::SyncReport) -> SyncReportDto {
    SyncReportDto {
        written: report.written,
        merged: report.merged,
        waiting: report.waiting,
        skipped: report.skipped,
    }
}

/// How often the app and `serve` sync while they run (and once at start).
pub const SYNC_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Syncs the collection at `path` on a thread of its own: at once, then
/// every `every` while the process runs, when a sync folder is set (a
/// sync with nothing new reads a directory listing and one query). The
/// time comes from `clock` (the shell's). A failure is said once on
/// standard error until it changes.
pub fn sync_in_background(
    path: PathBuf,
    every: std::time::Duration,
    clock: impl Fn() -> DateTime<Utc> + Send + 'static,
) {
    let spawned = std::thread::Builder::new()
        .name("notedeck-sync".into())
        .spawn(move || {
            let mut service = match Service::open(&path) {
                Ok(service) => service,
                Err(err) => {
                    eprintln!("notedeck: sync is not running: {}", err.message);
                    return;
                }
            };
            let mut last_error = String::new();
            loop {
                match service.sync_now(clock()) {
                    Ok(_) => last_error.clear(),
                    Err(err) if err.message != last_error => {
                        eprintln!("notedeck: sync: {}", err.message);
                        last_error = err.message;
                    }
                    Err(_) => {}
                }
                std::thread::sleep(every);
            }
        });
    if let Err(err) = spawned {
        eprintln!("notedeck: sync is not running: {err}");
    }
}
