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

/// How often the app and `serve` sync while they run (and once at start),
/// whatever else wakes them: a folder whose changes cannot be watched (a
/// network drive) is still read this often.
pub const SYNC_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// After a wake (answers given, another device's file changed), how long
/// the background sync waits for things to settle (more answers of the
/// same batch, the rest of a file being copied) before it syncs.
pub const SYNC_SETTLE: std::time::Duration = std::time::Duration::from_millis(1500);

/// The longest a stream of wakes can hold a sync back.
const SYNC_SETTLE_MAX: std::time::Duration = std::time::Duration::from_secs(10);

/// Wakes the background sync early: a shell calls [`SyncWaker::wake`]
/// after answers and other changes, and the watch on the sync folder when
/// another device's records arrive. Cheap to clone and to call.
#[derive(Clone, Default)]
pub struct SyncWaker(std::sync::Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>);

impl SyncWaker {
    /// Asks for a sync soon (once things settle).
    pub fn wake(&self) {
        let (woken, signal) = &*self.0;
        *woken
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = true;
        signal.notify_one();
    }

    /// Waits up to `timeout` for a wake; true when woken (and clears it).
    fn wait(&self, timeout: std::time::Duration) -> bool {
        let (woken, signal) = &*self.0;
        let guard = woken
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (mut guard, _) = signal
            .wait_timeout_while(guard, timeout, |woken| !*woken)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::replace(&mut *guard, false)
    }
}

/// Syncs the collection at `path` on a thread of its own, when a sync
/// folder is set: at once, then whenever woken (after the wake settles:
/// see [`SYNC_SETTLE`]) and at the latest every `every` (a sync with
/// nothing new reads a directory listing and one query). Changes in the
/// folder wake it through a watch. The time comes from `clock` (the
/// shell's). A failure is said once on standard error until it changes.
/// Returns the waker for the shell's own changes.
pub fn sync_in_background(
    path: PathBuf,
    every: std::time::Duration,
    clock: impl Fn() -> DateTime<Utc> + Send + 'static,
) -> SyncWaker {
    let waker = SyncWaker::default();
    let woken = waker.clone();
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
            let mut watch = FolderWatching::default();
            loop {
                match service.sync_now(clock()) {
                    Ok(_) => last_error.clear(),
                    Err(err) if err.message != last_error => {
                        eprintln!("notedeck: sync: {}", err.message);
                        last_error = err.message;
                    }
                    Err(_) => {}
                }
                service.keep_watching(&mut watch, &woken);
                if woken.wait(every) {
                    let started = std::time::Instant::now();
                    while woken.wait(SYNC_SETTLE) && started.elapsed() < SYNC_SETTLE_MAX {}
                }
            }
        });
    if let Err(err) = spawned {
        eprintln!("notedeck: sync is not running: {err}");
    }
    waker
}

/// The watch on the sync folder, and the folder it was made for (a
/// folder that cannot be watched is tried once).
#[derive(Default)]
struct FolderWatching {
    folder: Option<PathBuf>,
    watch: Option<notedeck_sync::watch::FolderWatch>,
}

impl Service {
    /// Keeps a watch on the sync folder set now (none when sync is off; a
    /// new one when the folder changed). A folder that cannot be watched
    /// is said once; its regular pace still syncs it.
    fn keep_watching(&self, watching: &mut FolderWatching, waker: &SyncWaker) {
        let folder = notedeck_core::sync::folder(&self.collection).ok().flatten();
        if watching.folder == folder {
            return;
        }
        *watching = FolderWatching {
            folder: folder.clone(),
            watch: None,
        };
        let device = notedeck_core::sync::device_id(&self.collection)
            .ok()
            .flatten();
        let (Some(folder), Some(device)) = (folder, device) else {
            return;
        };
        let waker = waker.clone();
        match notedeck_sync::watch::watch(&folder, &device, move || waker.wake()) {
            Ok(watch) => watching.watch = Some(watch),
            Err(why) => eprintln!(
                "notedeck: sync: the folder's changes cannot be watched ({why}); it is read every {} s",
                SYNC_EVERY.as_secs()
            ),
        }
    }
}
