//! Two and three simulated computers (separate collections, each with its
//! own view of the sync folder, which a simulated sync tool fills by
//! copying files between them, in any order, sometimes half-written):
//! random interleavings of answers, actions (suspend, bury, forget, tags),
//! undos, syncs and copies. After
//! everything is exchanged, every computer holds the same log and the same
//! card states, and `check` passes everywhere.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use notedeck_core::actions::{self, Action};
use notedeck_core::import::{self, ImportOptions};
use notedeck_core::review::{self, AnswerOptions};
use notedeck_core::scheduler::Grade;
use notedeck_core::storage::Collection;
use proptest::prelude::*;

const NOTE: &str = "# Cells\n\n## Nucleus\nHolds the DNA.\n\n## Ribosome\nMakes proteins.\n\n## Membrane\nKeeps the cell together.\n\n## Golgi\nPackages proteins.\n";

/// One step of the simulation.
#[derive(Debug, Clone)]
enum Step {
    /// A computer answers a card (index into its cards) with a grade.
    Answer(usize, usize, u8),
    /// A computer suspends, unsuspends, buries, forgets or tags a card
    /// (which action, which card).
    Act(usize, usize, usize),
    /// A computer takes back its newest step.
    Undo(usize),
    /// A computer syncs through its view of the folder.
    Sync(usize),
    /// The sync tool copies one computer's files into another's view,
    /// whole or cut in the middle of a line.
    Copy(usize, usize, bool),
}

fn step(devices: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..devices, 0..4usize, prop::sample::select(vec![1u8, 3, 4, 5]))
            .prop_map(|(d, c, g)| Step::Answer(d, c, g)),
        2 => (0..devices, 0..4usize, 0..6usize).prop_map(|(d, c, a)| Step::Act(d, c, a)),
        1 => (0..devices).prop_map(Step::Undo),
        3 => (0..devices).prop_map(Step::Sync),
        3 => (0..devices, 0..devices, any::<bool>()).prop_map(|(a, b, cut)| Step::Copy(a, b, cut)),
    ]
}

struct Computer {
    _dir: tempfile::TempDir,
    collection: Collection,
    /// This computer's view of the sync folder.
    folder: PathBuf,
    device: String,
}

fn computer(root: &Path, index: usize, now: DateTime<Utc>) -> Computer {
    let dir = tempfile::tempdir().expect("dir");
    // Each vault at a path of its own.
    let vault = dir.path().join(format!("vault-{index}"));
    std::fs::create_dir_all(&vault).expect("vault");
    std::fs::write(vault.join("cells.md"), NOTE).expect("note");
    let mut collection = Collection::open(&dir.path().join("c.sqlite3")).expect("open");
    import::import(
        &mut collection,
        &[vault],
        &ImportOptions::default(),
        now,
        &mut |_| {},
    )
    .expect("import");
    let folder = root.join(format!("view-{index}"));
    std::fs::create_dir_all(&folder).expect("view");
    notedeck_sync::set_folder(&mut collection, &folder, now).expect("sync folder");
    let device = notedeck_core::sync::device_id(&collection)
        .expect("id")
        .expect("device");
    Computer {
        _dir: dir,
        collection,
        folder,
        device,
    }
}

/// The sync tool: `from`'s own files into `to`'s view (whole, or the
/// last file cut in the middle of its last line, as a copy in progress).
fn copy(from: &Computer, to: &Computer, cut: bool) {
    let source = from.folder.join("notedeck-sync").join(&from.device);
    let Ok(entries) = std::fs::read_dir(&source) else {
        return;
    };
    let target = to.folder.join("notedeck-sync").join(&from.device);
    std::fs::create_dir_all(&target).expect("target");
    for entry in entries {
        let entry = entry.expect("entry");
        let bytes = std::fs::read(entry.path()).expect("read");
        let name = entry.file_name();
        let bytes = if cut && name.to_string_lossy().ends_with(".jsonl") && bytes.len() > 40 {
            bytes[..bytes.len() - 30].to_vec()
        } else {
            bytes
        };
        std::fs::write(target.join(name), bytes).expect("write");
    }
}

fn log(collection: &Collection) -> Vec<(String, String, String, u8)> {
    let mut rows = Vec::new();
    collection
        .reader()
        .for_each_review(&mut |r| {
            rows.push((r.id, r.card_id.to_string(), r.answered_at, r.grade));
            Ok(())
        })
        .expect("log");
    rows.sort();
    rows
}

fn states(collection: &Collection) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = collection
        .reader()
        .schedules()
        .expect("schedules")
        .into_iter()
        .map(|(id, s)| (id.to_string(), format!("{s:?}")))
        .collect();
    out.sort();
    out
}

fn marks(collection: &Collection) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = collection
        .reader()
        .marks()
        .expect("marks")
        .into_iter()
        .map(|(id, m)| (id.to_string(), format!("{m:?}")))
        .collect();
    out.sort();
    out
}

fn simulate(devices: usize, steps: &[Step]) -> Result<(), TestCaseError> {
    let root = tempfile::tempdir().expect("root");
    let start: DateTime<Utc> = "2026-03-01T08:00:00Z".parse().expect("time");
    let mut computers: Vec<Computer> = (0..devices)
        .map(|i| computer(root.path(), i, start))
        .collect();
    let cards: Vec<_> = computers[0]
        .collection
        .reader()
        .cards(None)
        .expect("cards")
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut now = start;
    for step in steps {
        now += Duration::minutes(7);
        let today = now.date_naive();
        match *step {
            Step::Answer(d, c, g) => {
                let card = &cards[c % cards.len()];
                let grade = Grade::new(g).expect("grade");
                review::answer(
                    &mut computers[d].collection,
                    card,
                    grade,
                    now,
                    today,
                    &AnswerOptions::default(),
                )
                .expect("answer");
            }
            Step::Act(d, c, a) => {
                let card = cards[c % cards.len()].clone();
                let action = match a {
                    0 => Action::Suspend,
                    1 => Action::Unsuspend,
                    2 => Action::Bury {
                        until: today + Duration::days(1),
                    },
                    3 => Action::Forget,
                    4 => Action::Tag("hard".into()),
                    _ => Action::Untag("hard".into()),
                };
                actions::act(&mut computers[d].collection, &[card], &action, now, today)
                    .expect("act");
            }
            Step::Undo(d) => {
                let _ = review::undo(&mut computers[d].collection, now);
            }
            Step::Sync(d) => {
                notedeck_sync::run(&mut computers[d].collection, now).expect("sync");
            }
            Step::Copy(a, b, cut) if a != b => copy(&computers[a], &computers[b], cut),
            Step::Copy(..) => {}
        }
    }
    // Everything exchanged: each writes, the tool copies everything
    // whole, each merges.
    for round in 0..2 {
        now += Duration::minutes(1 + round);
        for c in computers.iter_mut() {
            notedeck_sync::run(&mut c.collection, now).expect("sync");
        }
        for a in 0..devices {
            for b in 0..devices {
                if a != b {
                    copy(&computers[a], &computers[b], false);
                }
            }
        }
    }
    now += Duration::minutes(5);
    for c in computers.iter_mut() {
        notedeck_sync::run(&mut c.collection, now).expect("sync");
    }
    let first_log = log(&computers[0].collection);
    let first_states = states(&computers[0].collection);
    let first_marks = marks(&computers[0].collection);
    for (i, c) in computers.iter().enumerate() {
        let report = review::check(&c.collection).expect("check");
        prop_assert!(
            report.problems.is_empty(),
            "computer {i}: {:?}",
            report.problems
        );
        prop_assert_eq!(&log(&c.collection), &first_log, "computer {}'s log", i);
        prop_assert_eq!(
            &states(&c.collection),
            &first_states,
            "computer {}'s cards",
            i
        );
        prop_assert_eq!(
            &marks(&c.collection),
            &first_marks,
            "computer {}'s marks",
            i
        );
        let waiting = c.collection.reader().sync_pending().expect("pending");
        prop_assert!(
            waiting.is_empty(),
            "computer {i} has records waiting: {waiting:?}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn two_computers_end_with_one_history(steps in prop::collection::vec(step(2), 1..30)) {
        simulate(2, &steps)?;
    }

    #[test]
    fn three_computers_end_with_one_history(steps in prop::collection::vec(step(3), 1..30)) {
        simulate(3, &steps)?;
    }
}
