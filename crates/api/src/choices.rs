//! The fixed choices that cross the boundary (a grade, an action, a sort,
//! a format, …): one enum each, spelled once. Serde gives their JSON
//! names, `ts-rs` the UI's TypeScript unions (with the `ts` feature) and
//! clap the command line's values (with the `clap` feature), so the three
//! never disagree. Reading one is forgiving (any case, spaces around)
//! and a wrong one is refused with the list of choices.

use notedeck_core::doctor::Rule;
use notedeck_core::queue::Session;
use notedeck_core::scheduler;
use notedeck_core::storage::SortKey;
use serde::{Deserialize, Deserializer, Serialize};

/// Defines one choice: its variants and their names.
macro_rules! choice {
    ($(#[doc = $doc:literal])+ $name:ident { $($(#[doc = $vdoc:literal])+ $variant:ident = $text:literal,)+ }) => {
        $(#[doc = $doc])+
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
        pub enum $name {
            $(
                $(#[doc = $vdoc])+
                #[serde(rename = $text)]
                #[cfg_attr(feature = "clap", value(name = $text))]
                $variant,
            )+
        }

        impl $name {
            /// Every choice, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The choice's name (in JSON, on the command line, in settings).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The choice named `text` (any case, spaces around), if any.
            pub fn parse(text: &str) -> Option<$name> {
                let text = text.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|choice| choice.as_str().eq_ignore_ascii_case(text))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|c| c.as_str()).collect();
                    serde::de::Error::custom(format!(
                        "`{text}` is not one of {}",
                        names.join(", ")
                    ))
                })
            }
        }
    };
}

choice! {
    /// An answer: a button, or a raw SM-2 grade 0–5.
    Grade {
        /// Forgotten (grade 1).
        Again = "again",
        /// Recalled with serious difficulty (grade 3).
        Hard = "hard",
        /// Recalled after hesitation (grade 4).
        Good = "good",
        /// Recalled perfectly (grade 5).
        Easy = "easy",
        /// SM-2 grade 0: complete blackout.
        Zero = "0",
        /// SM-2 grade 1.
        One = "1",
        /// SM-2 grade 2.
        Two = "2",
        /// SM-2 grade 3.
        Three = "3",
        /// SM-2 grade 4.
        Four = "4",
        /// SM-2 grade 5.
        Five = "5",
    }
}

impl Grade {
    /// The SM-2 grade 0–5 (again 1, hard 3, good 4, easy 5).
    pub fn value(self) -> u8 {
        match self {
            Grade::Zero => 0,
            Grade::Again | Grade::One => 1,
            Grade::Two => 2,
            Grade::Hard | Grade::Three => 3,
            Grade::Good | Grade::Four => 4,
            Grade::Easy | Grade::Five => 5,
        }
    }
}

impl From<Grade> for scheduler::Grade {
    fn from(grade: Grade) -> scheduler::Grade {
        // Every value is 0–5: the fallback is never taken.
        scheduler::Grade::new(grade.value()).unwrap_or(scheduler::Grade::AGAIN)
    }
}

choice! {
    /// What can be done to cards besides answering them.
    CardAction {
        /// Out of every queue until unsuspended.
        Suspend = "suspend",
        /// Back into the queue.
        Unsuspend = "unsuspend",
        /// Out of the queue until tomorrow.
        Bury = "bury",
        /// Back into today's queue.
        Unbury = "unbury",
        /// Back to new (the history stays).
        Forget = "forget",
        /// Adds a notedeck tag.
        Tag = "tag",
        /// Removes a notedeck tag.
        Untag = "untag",
    }
}

choice! {
    /// A custom study session's kind.
    SessionKind {
        /// Cards due in the coming days.
        Ahead = "ahead",
        /// New cards beyond today's limit.
        ExtraNew = "extra_new",
        /// The cards failed today, again.
        FailedToday = "failed_today",
        /// Every card, schedules untouched.
        Cram = "cram",
    }
}

impl From<SessionKind> for Session {
    fn from(kind: SessionKind) -> Session {
        match kind {
            SessionKind::Ahead => Session::Ahead,
            SessionKind::ExtraNew => Session::ExtraNew,
            SessionKind::FailedToday => Session::FailedToday,
            SessionKind::Cram => Session::Cram,
        }
    }
}

choice! {
    /// The card browser's sort.
    Sort {
        /// Deck, then note, then the card's place in its note.
        Note = "note",
        /// Due day.
        Due = "due",
        /// Interval.
        Interval = "interval",
        /// Ease factor.
        Ease = "ease",
        /// Lapses.
        Lapses = "lapses",
        /// When the card was first imported.
        Created = "created",
        /// FSRS stability.
        Stability = "stability",
        /// FSRS difficulty.
        Difficulty = "difficulty",
        /// FSRS retrievability today.
        Retrievability = "retrievability",
    }
}

impl From<Sort> for SortKey {
    fn from(sort: Sort) -> SortKey {
        match sort {
            Sort::Note => SortKey::NoteOrder,
            Sort::Due => SortKey::Due,
            Sort::Interval => SortKey::Interval,
            Sort::Ease => SortKey::Ease,
            Sort::Lapses => SortKey::Lapses,
            Sort::Created => SortKey::Created,
            Sort::Stability => SortKey::Stability,
            Sort::Difficulty => SortKey::Difficulty,
            Sort::Retrievability => SortKey::Retrievability,
        }
    }
}

choice! {
    /// The order new cards are introduced in.
    NewOrder {
        /// As they stand in their notes.
        Note = "note",
        /// Shuffled.
        Random = "random",
    }
}

choice! {
    /// A file format of the exports.
    ExportFormat {
        /// RFC 4180 CSV with a header row.
        Csv = "csv",
        /// One JSON array of objects.
        Json = "json",
    }
}

choice! {
    /// A rule of the card doctor.
    DoctorRule {
        /// Too long to recall as one answer.
        TooLong = "too_long",
        /// A list to recite.
        Enumeration = "enumeration",
        /// A front that does not say what is asked.
        VagueFront = "vague_front",
        /// The front gives the answer away.
        AnswerInFront = "answer_in_front",
        /// Nearly the same as another card.
        NearDuplicate = "near_duplicate",
        /// Forgotten again and again.
        Leech = "leech",
        /// Only a link.
        LinkOnly = "link_only",
    }
}

impl From<DoctorRule> for Rule {
    fn from(rule: DoctorRule) -> Rule {
        match rule {
            DoctorRule::TooLong => Rule::TooLong,
            DoctorRule::Enumeration => Rule::Enumeration,
            DoctorRule::VagueFront => Rule::VagueFront,
            DoctorRule::AnswerInFront => Rule::AnswerInFront,
            DoctorRule::NearDuplicate => Rule::NearDuplicate,
            DoctorRule::Leech => Rule::Leech,
            DoctorRule::LinkOnly => Rule::LinkOnly,
        }
    }
}

impl From<Rule> for DoctorRule {
    fn from(rule: Rule) -> DoctorRule {
        match rule {
            Rule::TooLong => DoctorRule::TooLong,
            Rule::Enumeration => DoctorRule::Enumeration,
            Rule::VagueFront => DoctorRule::VagueFront,
            Rule::AnswerInFront => DoctorRule::AnswerInFront,
            Rule::NearDuplicate => DoctorRule::NearDuplicate,
            Rule::Leech => DoctorRule::Leech,
            Rule::LinkOnly => DoctorRule::LinkOnly,
        }
    }
}

choice! {
    /// The scheduler in force.
    SchedulerName {
        /// SuperMemo 2, exactly (the default).
        Sm2 = "sm2",
        /// FSRS-6.
        Fsrs = "fsrs",
    }
}

choice! {
    /// What happens to a card that becomes a leech.
    LeechAction {
        /// Tagged `leech` and suspended.
        Suspend = "suspend",
        /// Only tagged `leech`.
        Tag = "tag",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names the core stores and the names that cross the boundary
    /// are the same, so a name read from either means one thing.
    #[test]
    fn wire_names_are_the_core_names() {
        for &kind in SessionKind::ALL {
            assert_eq!(Session::from(kind).as_str(), kind.as_str());
        }
        for &rule in DoctorRule::ALL {
            assert_eq!(Rule::from(rule).as_str(), rule.as_str());
            assert_eq!(DoctorRule::from(Rule::from(rule)), rule);
        }
        assert_eq!(Rule::ALL.len(), DoctorRule::ALL.len());
        for &sort in Sort::ALL {
            assert_eq!(SortKey::parse(sort.as_str()), Some(SortKey::from(sort)));
        }
        assert_eq!(SortKey::NAMES.len(), Sort::ALL.len());
        for &grade in Grade::ALL {
            assert_eq!(
                scheduler::Grade::parse(grade.as_str()),
                Some(scheduler::Grade::from(grade))
            );
        }
    }

    #[test]
    fn reading_is_forgiving_and_refusals_name_the_choices() {
        let good: Grade = serde_json::from_str("\" Good \"").expect("any case");
        assert_eq!(good, Grade::Good);
        let bad = serde_json::from_str::<Grade>("\"great\"").expect_err("no such grade");
        assert!(bad
            .to_string()
            .contains("`great` is not one of again, hard, good, easy, 0, 1, 2, 3, 4, 5"));
        assert_eq!(serde_json::to_string(&Grade::Zero).expect("json"), "\"0\"");
    }
}
