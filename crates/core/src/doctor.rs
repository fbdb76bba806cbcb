//! The card doctor: which cards will not work, by the card-writing rules
//! the spaced-repetition literature agrees on, and how to fix each. It only
//! reports: it never changes a note or a card.
//!
//! The rules and their thresholds (each measured on the card's text, its
//! HTML with the tags taken out; reading cards, read in full rather than
//! recalled, are held only to the near-duplicate rule):
//! - **too_long** — a back over [`MAX_BACK_CHARS`] characters, or holding
//!   more than [`MAX_FACTS`] separate facts (sentences and list items).
//!   SuperMemo's *minimum information principle* (Wozniak, "Effective
//!   learning: Twenty rules of formulating knowledge", rule 4): one card,
//!   one fact; long answers are forgotten in part and resented.
//! - **enumeration** — a list of [`MAX_LIST_ITEMS`] or more items on the
//!   back: the same rules' 9 and 11 (avoid sets, avoid enumerations); split
//!   it into cards or clozes.
//! - **vague_front** — a section card whose heading means nothing alone
//!   ([`VAGUE_HEADINGS`], or numbers only): the question must be clear
//!   out of context (rule 6, "use context cues").
//! - **answer_in_front** — a short back (at most [`SHORT_BACK_WORDS`] words)
//!   whose words are [`ANSWER_SHARE`] or more already on the front, or a
//!   cloze whose front shows its answer (its hint is the answer).
//! - **near_duplicate** — a card whose back (or front) is nearly the same
//!   text (word 3-shingles, Jaccard similarity ≥ [`DUPLICATE_SIMILARITY`],
//!   estimated by MinHash) as a card in another note: interference (rule
//!   14, "avoid interference"). A written card's front too short to shingle
//!   (under five words) is a duplicate when its words are the same; a
//!   section card's front is compared with its breadcrumb, its context.
//! - **leech** — a card forgotten [`LEECH_LAPSES`] times or more (Anki's
//!   default leech threshold): rewrite it rather than fail it again.
//! - **link_only** — a back that is only links or media, with no text of
//!   its own to recall.

use std::collections::HashMap;

use crate::markdown::plain::{decode, text_of, without_breadcrumb};
use crate::model::CardId;
use crate::model::CardKind;
use crate::storage::{CardRow, Collection};
use crate::{Error, Result};

/// The longest back, in characters of text (the Markdown crate's: a
/// section longer than this is a reading card).
pub use notedeck_markdown::MAX_BACK_CHARS;
/// The most separate facts (sentences and list items) on a back.
pub const MAX_FACTS: usize = 10;
/// Items in one list from which a back is an enumeration.
pub const MAX_LIST_ITEMS: usize = 5;
/// A back this short (in words) can be given away by its front.
pub const SHORT_BACK_WORDS: usize = 12;
/// The share of a short back's words on the front that gives it away.
pub const ANSWER_SHARE: f64 = 0.8;
/// Jaccard similarity of word 3-shingles from which two cards are
/// near-duplicates.
pub const DUPLICATE_SIMILARITY: f64 = 0.8;
/// Lapses from which a card is a leech.
pub const LEECH_LAPSES: i64 = 8;
/// Headings that mean nothing alone (compared in lower case).
pub const VAGUE_HEADINGS: &[&str] = &[
    "introduction",
    "intro",
    "overview",
    "notes",
    "note",
    "summary",
    "conclusion",
    "conclusions",
    "misc",
    "miscellaneous",
    "other",
    "general",
    "background",
    "details",
    "more",
    "example",
    "examples",
    "todo",
    "untitled",
];

/// The doctor's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// Too much text or too many facts on the back.
    TooLong,
    /// A long list to memorise.
    Enumeration,
    /// A heading that means nothing alone.
    VagueFront,
    /// The front gives the answer away.
    AnswerInFront,
    /// Nearly the same card in another note.
    NearDuplicate,
    /// Forgotten again and again.
    Leech,
    /// Only a link or a media file to recall.
    LinkOnly,
}

impl Rule {
    /// Every rule.
    pub const ALL: [Rule; 7] = [
        Rule::TooLong,
        Rule::Enumeration,
        Rule::VagueFront,
        Rule::AnswerInFront,
        Rule::NearDuplicate,
        Rule::Leech,
        Rule::LinkOnly,
    ];

    /// The rule named `name` (as in JSON).
    pub fn parse(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.as_str() == name)
    }

    /// The rule's name in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::TooLong => "too_long",
            Rule::Enumeration => "enumeration",
            Rule::VagueFront => "vague_front",
            Rule::AnswerInFront => "answer_in_front",
            Rule::NearDuplicate => "near_duplicate",
            Rule::Leech => "leech",
            Rule::LinkOnly => "link_only",
        }
    }
}

/// One thing the doctor found about one card.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The card.
    pub card_id: String,
    /// The note file.
    pub note: String,
    /// The card's line in the note.
    pub line: i64,
    /// The card's front as plain text (at most [`FRONT_CHARS`] characters):
    /// which card it is, as the learner sees it.
    pub front: String,
    /// The rule.
    pub rule: Rule,
    /// What was measured (characters, facts, items, share, similarity,
    /// lapses; 1 for a yes/no rule).
    pub value: f64,
    /// The rule's threshold, in the same unit.
    pub threshold: f64,
    /// What to do about it, in words.
    pub fix: String,
}

/// A card's text, measured once.
struct Measured<'c> {
    card: &'c CardRow,
    front: String,
    back: String,
}

/// The doctor at work: cards are looked at one by one (so a collection of
/// any size is examined in little memory), and near-duplicates are found
/// at the end from a small sketch of each card.
#[derive(Default)]
pub struct Doctor {
    findings: Vec<Finding>,
    sketches: Vec<Sketch>,
    /// Note paths, each kept once; sketches name notes by index.
    notes: Vec<String>,
    note_index: HashMap<String, u32>,
}

/// What near-duplicate finding keeps of a card.
struct Sketch {
    card_id: String,
    note: u32,
    line: i64,
    front: String,
    /// The MinHash signature of the front and of the back (`None` when the
    /// side is too short to compare).
    sides: [Option<Box<[u32; HASHES]>>; 2],
}

/// A finding names its card's front by at most this many characters.
pub const FRONT_CHARS: usize = 120;

/// How a finding names `card`: its own heading (a written card's front, a
/// term), without the breadcrumb, else its front's text; cut at
/// [`FRONT_CHARS`] characters, with `…`.
fn short_front(card: &CardRow, front_text: &str) -> String {
    // A title card's front is its note's title after the breadcrumb.
    let title = || {
        card.front_html
            .split_once("<div class=\"front\">")
            .map(|(_, front)| text_of(front))
    };
    let own;
    let text = match card.heading_path.last() {
        Some(heading) => heading.as_str(),
        None => {
            own = title().unwrap_or_else(|| front_text.to_owned());
            own.as_str()
        }
    };
    match text.char_indices().nth(FRONT_CHARS) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_owned(),
    }
}

/// Threads that look at cards at once, at most (beside the one reading
/// them).
pub const MAX_WORKERS: usize = 4;
/// Cards a thread of [`Doctor::look_at_all`] looks at together.
pub const BATCH_CARDS: usize = 256;

/// MinHash values per side.
const HASHES: usize = 24;
/// Cards of one band each card is compared with, at most.
const MAX_NEIGHBOURS: usize = 64;
/// Bands of [`HASHES`]` / BANDS` values: a pair at the threshold (0.8)
/// shares a band with probability 0.96, a pair at 0.3 with 0.05.
const BANDS: usize = 6;

impl Doctor {
    /// A doctor that has seen no card yet.
    pub fn new() -> Doctor {
        Doctor::default()
    }

    /// Looks at one card (retired cards are not looked at).
    pub fn look_at(&mut self, card: &CardRow) {
        if card.state == crate::model::CardState::Retired {
            return;
        }
        let measured = Measured {
            card,
            front: text_of(&card.front_html),
            back: text_of(&card.back_html),
        };
        self.findings.extend(card_findings(&measured));
        let note = match self.note_index.get(&card.note) {
            Some(&index) => index,
            None => self.add_note(card.note.clone()),
        };
        self.sketches.push(Sketch {
            card_id: card.id.as_str().to_owned(),
            note,
            line: card.line,
            front: short_front(card, &measured.front),
            sides: [
                front_signature(card, &measured.front),
                signature(&measured.back),
            ],
        });
    }

    /// Looks at every card `walk` passes to its visitor, on one thread per
    /// core (at most [`MAX_WORKERS`]) beside the walking thread, a batch of
    /// [`BATCH_CARDS`] cards at a time: the doctor then knows what looking
    /// at each card in the walk's order would have told it. Memory holds
    /// the batches in flight and what the doctor keeps of each card.
    pub fn look_at_all(
        walk: impl FnOnce(&mut dyn FnMut(CardRow) -> Result<()>) -> Result<()>,
    ) -> Result<Doctor> {
        let workers = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .clamp(1, MAX_WORKERS);
        std::thread::scope(|scope| {
            let mut inputs = Vec::with_capacity(workers);
            let mut outputs = Vec::with_capacity(workers);
            let mut threads = Vec::with_capacity(workers);
            for _ in 0..workers {
                let (to_worker, batches) = std::sync::mpsc::sync_channel::<Vec<CardRow>>(2);
                let (looked, from_worker) = std::sync::mpsc::channel::<Doctor>();
                threads.push(scope.spawn(move || {
                    for batch in batches {
                        let mut part = Doctor::new();
                        batch.iter().for_each(|card| part.look_at(card));
                        if looked.send(part).is_err() {
                            return;
                        }
                    }
                }));
                inputs.push(to_worker);
                outputs.push(from_worker);
            }
            let stopped = || {
                Error::io(
                    "examining the cards",
                    std::io::Error::other("a thread of the card doctor stopped unexpectedly"),
                )
            };
            let mut sent = 0usize;
            let mut batch = Vec::with_capacity(BATCH_CARDS);
            let mut send = |batch: Vec<CardRow>| {
                let to = &inputs[sent % workers];
                sent += 1;
                to.send(batch).map_err(|_| stopped())
            };
            let walked = walk(&mut |card| {
                batch.push(card);
                if batch.len() == BATCH_CARDS {
                    send(std::mem::replace(
                        &mut batch,
                        Vec::with_capacity(BATCH_CARDS),
                    ))?;
                }
                Ok(())
            })
            .and_then(|()| {
                if batch.is_empty() {
                    Ok(())
                } else {
                    send(batch)
                }
            });
            drop(inputs);
            // Parts come back in the order their batches were sent.
            let mut doctor = Doctor::new();
            let gathered = walked.and_then(|()| {
                (0..sent).try_for_each(|k| {
                    let part = outputs[k % workers].recv().map_err(|_| stopped())?;
                    doctor.merge(part);
                    Ok(())
                })
            });
            drop(outputs);
            let joined = threads.into_iter().map(|t| t.join()).collect::<Vec<_>>();
            gathered?;
            if joined.iter().any(std::result::Result::is_err) {
                return Err(stopped());
            }
            Ok(doctor)
        })
    }

    /// Takes in what another doctor found, as if it had looked at those
    /// cards after this one's.
    fn merge(&mut self, part: Doctor) {
        self.findings.extend(part.findings);
        let notes: Vec<u32> = part
            .notes
            .into_iter()
            .map(|note| match self.note_index.get(&note) {
                Some(&index) => index,
                None => self.add_note(note),
            })
            .collect();
        self.sketches
            .extend(part.sketches.into_iter().map(|sketch| Sketch {
                note: notes[sketch.note as usize],
                ..sketch
            }));
    }

    /// Keeps `note`'s path (not yet kept) and returns its index.
    fn add_note(&mut self, note: String) -> u32 {
        let index = u32::try_from(self.notes.len()).unwrap_or(u32::MAX);
        self.note_index.insert(note.clone(), index);
        self.notes.push(note);
        index
    }

    /// Every finding, by note and line.
    pub fn finish(mut self) -> Vec<Finding> {
        let duplicates = self.near_duplicates();
        self.findings.extend(duplicates);
        self.findings.sort_by(|a, b| {
            (a.note.as_str(), a.line, a.rule).cmp(&(b.note.as_str(), b.line, b.rule))
        });
        self.findings
    }

    /// Near-duplicates across notes, one finding per card naming the first
    /// copy found: cards whose signatures share a band are compared; the
    /// share of equal MinHash values estimates their Jaccard similarity. A
    /// pair of cards both already reported is not compared again, so a
    /// crowd of copies costs time and memory in proportion to its cards.
    fn near_duplicates(&self) -> Vec<Finding> {
        let rows = HASHES / BANDS;
        let mut findings = Vec::new();
        let mut reported = vec![false; self.sketches.len()];
        for (side, name) in [(0, "front"), (1, "back")] {
            // Every (band, key) of every card, sorted: runs of one key are
            // the cards that share that band.
            let mut keys: Vec<(u64, u32)> = Vec::with_capacity(self.sketches.len() * BANDS);
            for (i, sketch) in self.sketches.iter().enumerate() {
                let Some(signature) = &sketch.sides[side] else {
                    continue;
                };
                for band in 0..BANDS {
                    let key = signature[band * rows..(band + 1) * rows]
                        .iter()
                        .fold(mix(band as u64), |h, &v| mix(h ^ u64::from(v)));
                    keys.push((key, u32::try_from(i).unwrap_or(u32::MAX)));
                }
            }
            keys.sort_unstable();
            for run in keys.chunk_by(|x, y| x.0 == y.0).filter(|run| run.len() > 1) {
                let members: Vec<usize> = run.iter().map(|&(_, i)| i as usize).collect();
                // A crowded band (boilerplate many cards share) compares each
                // card with its next neighbours only: every copy is still
                // found, in linear time.
                for (x, &a) in members.iter().enumerate() {
                    let end = (x + 1 + MAX_NEIGHBOURS).min(members.len());
                    for &b in &members[x + 1..end] {
                        let (a, b) = (a.min(b), a.max(b));
                        let (one, two) = (&self.sketches[a], &self.sketches[b]);
                        if one.note == two.note || (reported[a] && reported[b]) {
                            continue;
                        }
                        let (Some(x), Some(y)) = (&one.sides[side], &two.sides[side]) else {
                            continue;
                        };
                        let equal = x.iter().zip(y.iter()).filter(|(p, q)| p == q).count();
                        let similarity = equal as f64 / HASHES as f64;
                        if similarity < DUPLICATE_SIMILARITY {
                            continue;
                        }
                        for (this, other, index) in [(one, two, a), (two, one, b)] {
                            if std::mem::replace(&mut reported[index], true) {
                                continue;
                            }
                            findings.push(Finding {
                                card_id: this.card_id.clone(),
                                note: self.notes[this.note as usize].clone(),
                                line: this.line,
                                front: this.front.clone(),
                                rule: Rule::NearDuplicate,
                                value: (similarity * 100.0).round() / 100.0,
                                threshold: DUPLICATE_SIMILARITY,
                                fix: format!(
                                    "keep one of the two: its {name} is nearly that of {}:{}",
                                    self.notes[other.note as usize], other.line
                                ),
                            });
                        }
                    }
                }
            }
        }
        findings
    }
}

/// Examines `cards` (active ones; retired cards are not looked at).
pub fn examine(cards: &[CardRow]) -> Vec<Finding> {
    let mut doctor = Doctor::new();
    for card in cards {
        doctor.look_at(card);
    }
    doctor.finish()
}

/// The signature a card's front is compared by. A section card's front is
/// its heading with the note's breadcrumb (the context it is asked in); a
/// written card's front is its own text, and a short one (too short to
/// shingle) is a duplicate only of the same words. `front_text` is the
/// text of the card's whole front.
fn front_signature(card: &CardRow, front_text: &str) -> Option<Box<[u32; HASHES]>> {
    if card.kind == CardKind::Section {
        return signature(front_text);
    }
    let own = text_of(without_breadcrumb(&card.front_html));
    signature(&own).or_else(|| exact_signature(&own))
}

/// A signature equal only for texts of the same words (case and
/// punctuation aside): every value is drawn from a hash of the whole word
/// sequence, so two such signatures agree everywhere or (almost surely)
/// nowhere. `None` for a text without words.
fn exact_signature(text: &str) -> Option<Box<[u32; HASHES]>> {
    let whole = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .fold(0u64, |h, w| mix(h ^ word_hash(w)));
    if whole == 0 {
        return None;
    }
    let mut signature = [0u32; HASHES];
    for (k, slot) in signature.iter_mut().enumerate() {
        *slot = (mix(whole ^ (k as u64 + 1)) >> 32) as u32;
    }
    Some(Box::new(signature))
}

/// The MinHash signature of a text's word 3-shingles, or `None` for a text
/// of fewer than three shingles.
fn signature(text: &str) -> Option<Box<[u32; HASHES]>> {
    let set = shingles(text);
    if set.len() < 3 {
        return None;
    }
    // One multiply per shingle and hash function (the shingles are
    // already well-mixed hashes), each shingle against every function in
    // turn: the functions' minima are independent of each other, so the
    // processor works on many at once.
    let odd: [u64; HASHES] = std::array::from_fn(|k| mix(k as u64 + 1) | 1);
    let mut least = [u64::MAX; HASHES];
    for &shingle in &set {
        for (k, slot) in least.iter_mut().enumerate() {
            *slot = (*slot).min((shingle ^ k as u64).wrapping_mul(odd[k]));
        }
    }
    Some(Box::new(least.map(|l| (l >> 32) as u32)))
}

/// The rules that look at one card alone.
fn card_findings(m: &Measured<'_>) -> Vec<Finding> {
    let card = m.card;
    // A reading card is read in full, not recalled: the card-writing
    // rules are for flashcards.
    if card.kind.is_reading() {
        return Vec::new();
    }
    let finding = |rule: Rule, value: f64, threshold: f64, fix: &str| Finding {
        card_id: card.id.as_str().to_owned(),
        note: card.note.clone(),
        line: card.line,
        front: short_front(card, &m.front),
        rule,
        value,
        threshold,
        fix: fix.to_owned(),
    };
    let mut found = Vec::new();
    let chars = m.back.chars().count();
    let facts = facts(card.back_html.matches("<li").count(), &m.back);
    if chars > MAX_BACK_CHARS {
        found.push(finding(
            Rule::TooLong,
            chars as f64,
            MAX_BACK_CHARS as f64,
            "split it: one fact per card (`Front::Back` lines, or sub-headings)",
        ));
    } else if facts > MAX_FACTS {
        found.push(finding(
            Rule::TooLong,
            facts as f64,
            MAX_FACTS as f64,
            "split it: one fact per card (`Front::Back` lines, or sub-headings)",
        ));
    }
    let items = longest_list(&card.back_html);
    if items >= MAX_LIST_ITEMS {
        found.push(finding(
            Rule::Enumeration,
            items as f64,
            MAX_LIST_ITEMS as f64,
            "learn the list item by item: a card or a cloze for each",
        ));
    }
    if card.kind == CardKind::Section && is_vague(card.heading_path.last().map(String::as_str)) {
        found.push(finding(
            Rule::VagueFront,
            1.0,
            1.0,
            "rename the heading to the question its section answers",
        ));
    }
    if let Some(share) = answer_share(card, &m.front, &m.back) {
        found.push(finding(
            Rule::AnswerInFront,
            share,
            ANSWER_SHARE,
            "reword the front so it asks without telling",
        ));
    }
    if card.lapses >= LEECH_LAPSES {
        found.push(finding(
            Rule::Leech,
            card.lapses as f64,
            LEECH_LAPSES as f64,
            "rewrite the card (smaller, clearer, with a cue), or suspend it",
        ));
    }
    // A back that is only links has little text: longer ones are not looked at.
    if m.back.len() < 300 && is_link_only(&card.back_html) {
        found.push(finding(
            Rule::LinkOnly,
            1.0,
            1.0,
            "write down what the link or file should remind you of",
        ));
    }
    found
}

/// Separate facts: the sentences and lines of the text (of at least three
/// words), or its list items when there are more of those.
fn facts(items: usize, text: &str) -> usize {
    let sentences = text
        .split(['.', '!', '?', '\n'])
        .filter(|s| s.split_whitespace().count() >= 3)
        .count();
    sentences.max(items)
}

/// The most items of any one list on a back.
fn longest_list(html: &str) -> usize {
    let mut best = 0;
    let mut depth_items: Vec<usize> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if rest.starts_with("<ul") || rest.starts_with("<ol") {
            depth_items.push(0);
        } else if rest.starts_with("</ul") || rest.starts_with("</ol") {
            if let Some(items) = depth_items.pop() {
                best = best.max(items);
            }
        } else if rest.starts_with("<li") {
            if let Some(items) = depth_items.last_mut() {
                *items += 1;
            }
        }
        rest = &rest[1..];
    }
    best
}

fn is_vague(heading: Option<&str>) -> bool {
    let Some(heading) = heading else {
        return false;
    };
    let words: String = heading
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let words = words.trim();
    words.is_empty()
        || words
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace())
        || VAGUE_HEADINGS.contains(&words)
}

/// For a card whose front gives its answer away, the share of the answer
/// found on the front.
fn answer_share(card: &CardRow, front: &str, back: &str) -> Option<f64> {
    if card.kind == CardKind::Cloze {
        // The answer is what the back marks; the front must not show it.
        let answer = marked(&card.back_html)?;
        let shown = front.to_lowercase().contains(&answer.to_lowercase());
        return (shown && answer.chars().count() >= 2).then_some(1.0);
    }
    if back.split_whitespace().nth(2 * SHORT_BACK_WORDS).is_some() {
        return None;
    }
    let back_words: Vec<u64> = words(back).collect();
    if back_words.is_empty() || back_words.len() > SHORT_BACK_WORDS {
        return None;
    }
    let mut front_words: Vec<u64> = words(front).collect();
    front_words.sort_unstable();
    let on_front = back_words
        .iter()
        .filter(|w| front_words.binary_search(w).is_ok())
        .count();
    let share = on_front as f64 / back_words.len() as f64;
    (share >= ANSWER_SHARE).then_some(share)
}

/// The text of the first `<mark>` in card HTML.
fn marked(html: &str) -> Option<String> {
    let start = html.find("<mark>")? + "<mark>".len();
    let end = html[start..].find("</mark>")? + start;
    Some(text_of(&html[start..end]))
}

/// Words of at least three letters, each as the hash of its lower-cased
/// letters ([`word_hash`]: equal for the same word in any case).
fn words(text: &str) -> impl Iterator<Item = u64> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && (w.is_ascii() || w.chars().count() >= 3))
        .map(word_hash)
}

fn is_link_only(html: &str) -> bool {
    let has_link = ["<a ", "<img", "<audio", "<video", "class=\"wikilink\""]
        .iter()
        .any(|tag| html.contains(tag));
    if !has_link {
        return false;
    }
    // The back's text without the text of its links.
    let mut own = String::new();
    let mut rest = html;
    let mut in_link = 0usize;
    while let Some(at) = rest.find('<') {
        if in_link == 0 {
            own.push_str(&rest[..at]);
        }
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        if tag.starts_with("<a ") || tag.starts_with("<span class=\"wikilink\"") {
            in_link += 1;
        } else if (tag.starts_with("</a") || tag.starts_with("</span")) && in_link > 0 {
            in_link -= 1;
        }
        rest = &rest[end..];
    }
    own.push_str(rest);
    decode(&own).chars().all(|c| !c.is_alphanumeric())
}

/// The sorted, distinct hashes of a text's word 3-shingles.
fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3)
        .map(word_hash)
        .collect();
    let mut out: Vec<u64> = words
        .windows(3)
        .map(|w| mix(w[0] ^ mix(w[1] ^ mix(w[2]))))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// FNV-1a over a word's lower-cased characters (no allocation).
fn word_hash(word: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    if word.is_ascii() {
        for b in word.bytes() {
            hash = (hash ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
        }
    } else {
        for c in word.chars().flat_map(char::to_lowercase) {
            hash = (hash ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// A 64-bit mixer (splitmix64's finaliser).
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Dismisses the finding of `rule` on `card` (it stays dismissed across
/// imports), or brings it back.
pub fn dismiss(
    collection: &mut Collection,
    card: &CardId,
    rule: Rule,
    dismissed: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let tx = collection.transaction()?;
    if !tx.set_finding_dismissed(card, rule.as_str(), dismissed, &stamp)? {
        return Err(Error::CardNotFound(card.to_string()));
    }
    crate::sync::shared::stamp_card(
        &tx,
        card,
        &format!("dismissed:{}", rule.as_str()),
        dismissed,
        now,
    )?;
    tx.commit()
}

/// The doctor's "Review as reading": makes section cards reading cards
/// (`reading`) or flashcards again, a choice kept across imports. Back to
/// a flashcard means a section, unless it is long enough to be read
/// anyway (with reading cards on in `rules`). Cards of other kinds are
/// left as they are. Returns the cards whose kind changed.
pub fn review_as_reading(
    collection: &mut Collection,
    cards: &[CardId],
    reading: bool,
    rules: &crate::markdown::junk::JunkRules,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<CardId>> {
    let at = now;
    let now = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let tx = collection.transaction()?;
    let mut changed = Vec::new();
    for id in cards {
        crate::sync::shared::stamp_card(&tx, id, "reading", reading, at)?;
        let card = tx
            .reader()
            .card(id)?
            .ok_or_else(|| Error::CardNotFound(id.to_string()))?;
        let kind_off = if rules.reading_cards && crate::markdown::is_reading_length(&card.back_html)
        {
            CardKind::Reading
        } else {
            CardKind::Section
        };
        if tx.choose_reading(id, reading, kind_off, &now)? {
            changed.push(id.clone());
        }
    }
    tx.commit()?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CardId, CardState};
    use std::collections::HashSet;

    fn card(
        id: &str,
        note: &str,
        kind: CardKind,
        heading: &str,
        front: &str,
        back: &str,
    ) -> CardRow {
        CardRow {
            id: CardId(id.to_owned()),
            deck: "D".to_owned(),
            note: note.to_owned(),
            heading_path: vec![heading.to_owned()],
            kind,
            line: 3,
            front_html: front.to_owned(),
            back_html: back.to_owned(),
            tags: Vec::new(),
            state: CardState::New,
            ease_factor: 2.5,
            interval_days: 0,
            repetitions: 0,
            lapses: 0,
            due: None,
            suspended: false,
            buried_until: None,
            user_tags: Vec::new(),
            memory: None,
            learning: None,
        }
    }

    fn rules(cards: &[CardRow]) -> Vec<(String, &'static str)> {
        examine(cards)
            .into_iter()
            .map(|f| (f.card_id, f.rule.as_str()))
            .collect()
    }

    #[test]
    fn each_rule_finds_its_card_and_spares_a_good_one() {
        let long = format!("<p>{}</p>", "A sentence with some words. ".repeat(40));
        let list = "<ul><li>a</li><li>b</li><li>c</li><li>d</li><li>e</li></ul>";
        let mut leech = card(
            "leech",
            "n.md",
            CardKind::Section,
            "Why?",
            "Why?",
            "<p>Because.</p>",
        );
        leech.lapses = 9;
        let cards = vec![
            card(
                "good",
                "n.md",
                CardKind::Section,
                "What is ATP?",
                "What is ATP?",
                "<p>The cell's energy currency.</p>",
            ),
            card("long", "n.md", CardKind::Section, "Cells", "Cells", &long),
            card(
                "list",
                "n.md",
                CardKind::Section,
                "Organelles",
                "Organelles",
                list,
            ),
            card(
                "vague",
                "n.md",
                CardKind::Section,
                "Overview",
                "Overview",
                "<p>Cells hold organelles.</p>",
            ),
            card(
                "told",
                "n.md",
                CardKind::Basic,
                "Paris is the capital of France",
                "Paris is the capital of France",
                "<p>Paris</p>",
            ),
            card(
                "cloze",
                "n.md",
                CardKind::Cloze,
                "c1: Paris",
                "<p>Paris is [Paris].</p>",
                "<p><mark>Paris</mark> is Paris.</p>",
            ),
            leech,
            card(
                "link",
                "n.md",
                CardKind::Section,
                "Reading",
                "Reading",
                "<p><a href=\"https://e.org\">A page</a></p>",
            ),
        ];
        let mut found = rules(&cards);
        found.sort();
        assert_eq!(
            found,
            vec![
                ("cloze".into(), "answer_in_front"),
                ("leech".into(), "leech"),
                ("link".into(), "link_only"),
                ("list".into(), "enumeration"),
                ("long".into(), "too_long"),
                ("told".into(), "answer_in_front"),
                ("vague".into(), "vague_front"),
            ]
        );
    }

    #[test]
    fn near_duplicates_only_across_notes() {
        let text =
            "<p>The mitochondrion turns nutrients into ATP, the energy currency of the cell.</p>";
        let cards = vec![
            card("a", "one.md", CardKind::Section, "Energy", "Energy", text),
            card("b", "two.md", CardKind::Section, "Power", "Power", text),
            card("c", "two.md", CardKind::Section, "Again", "Again", text),
            card(
                "d",
                "three.md",
                CardKind::Section,
                "Plants",
                "Plants",
                "<p>Chloroplasts capture light in plants and make sugar.</p>",
            ),
        ];
        let found = examine(&cards);
        let pairs: HashSet<&str> = found
            .iter()
            .filter(|f| f.rule == Rule::NearDuplicate)
            .map(|f| f.card_id.as_str())
            .collect();
        assert_eq!(pairs, HashSet::from(["a", "b", "c"]));
        assert!(found.iter().all(|f| f.card_id != "d"));
    }

    /// Cards of every rule, in notes that run across batch boundaries,
    /// with near-duplicates whose findings name the first copy found.
    fn many_cards(count: usize) -> Vec<CardRow> {
        let words = [
            "cell", "membrane", "protein", "energy", "water", "light", "carbon", "enzyme", "gene",
            "signal", "sugar", "oxygen",
        ];
        (0..count)
            .map(|i| {
                let text: Vec<&str> = (0..14).map(|w| words[(w * 5 + i % (w + 3)) % 12]).collect();
                let back = match i % 9 {
                    0 => format!(
                        "<p>{}</p>",
                        "One more sentence of the answer. ".repeat(12 + i % 30)
                    ),
                    1 => "<ul><li>a</li><li>b</li><li>c</li><li>d</li><li>e</li></ul>".to_owned(),
                    2 => "<p><a href=\"https://example.org\">link</a></p>".to_owned(),
                    _ => format!("<p>{}</p>", text.join(" ")),
                };
                let heading = if i % 13 == 0 {
                    "Overview"
                } else {
                    "Photosynthesis"
                };
                let mut card = card(
                    &format!("c{i}"),
                    &format!("notes/n{}.md", i / 37),
                    CardKind::Section,
                    heading,
                    &format!("<p>{heading} {}</p>", i % 5),
                    &back,
                );
                card.line = i64::try_from(i % 37).unwrap_or(0);
                card.lapses = i64::try_from(i % 11).unwrap_or(0);
                card
            })
            .collect()
    }

    #[test]
    fn looking_on_several_threads_finds_what_looking_in_order_finds() {
        for count in [0, 1, BATCH_CARDS, BATCH_CARDS + 1, 5 * BATCH_CARDS + 17] {
            let cards = many_cards(count);
            let in_order = examine(&cards);
            let at_once = Doctor::look_at_all(|visit| cards.iter().cloned().try_for_each(visit))
                .expect("looked")
                .finish();
            let differ = at_once.iter().zip(&in_order).position(|(a, b)| a != b);
            assert_eq!(
                (at_once.len(), differ),
                (in_order.len(), None),
                "{count} cards: the first finding that differs"
            );
            if count > BATCH_CARDS {
                let rules: HashSet<Rule> = in_order.iter().map(|f| f.rule).collect();
                assert_eq!(rules.len(), Rule::ALL.len() - 1, "{rules:?}"); // all but answer_in_front
            }
        }
    }

    #[test]
    fn a_walk_that_fails_fails_the_look_without_waiting() {
        let cards = many_cards(3 * BATCH_CARDS);
        let failed = Doctor::look_at_all(|visit| {
            cards
                .iter()
                .take(2 * BATCH_CARDS + 5)
                .cloned()
                .try_for_each(&mut *visit)?;
            Err(Error::io(
                "reading cards",
                std::io::Error::other("disk gone"),
            ))
        });
        assert!(failed.is_err());
    }

    #[test]
    fn a_crowd_of_copies_gives_one_finding_per_card() {
        let text = "<p>Boilerplate shared by every note: the same sentence again and again.</p>";
        let notes: Vec<String> = (0..600).map(|i| format!("note{i}.md")).collect();
        let ids: Vec<String> = (0..600).map(|i| format!("card{i}")).collect();
        let cards: Vec<CardRow> = (0..600)
            .map(|i| card(&ids[i], &notes[i], CardKind::Section, "Same", "Same", text))
            .collect();
        let findings = examine(&cards);
        let found: Vec<&str> = findings
            .iter()
            .filter(|f| f.rule == Rule::NearDuplicate)
            .map(|f| f.card_id.as_str())
            .collect();
        let unique: HashSet<&str> = found.iter().copied().collect();
        assert_eq!((found.len(), unique.len()), (600, 600));
    }

    #[test]
    fn short_written_fronts_are_duplicates_only_when_the_same() {
        let front = |note: &str, text: &str| {
            format!("<div class=\"breadcrumb\">{note} › Geography</div><div class=\"front\">{text}</div>")
        };
        let cards = vec![
            card(
                "a",
                "one.md",
                CardKind::Basic,
                "Geography",
                &front("one", "Capital of France?"),
                "<p>Paris</p>",
            ),
            card(
                "b",
                "two.md",
                CardKind::Basic,
                "Geography",
                &front("two", "capital of france"),
                "<p>Paris, on the Seine</p>",
            ),
            card(
                "c",
                "three.md",
                CardKind::Basic,
                "Geography",
                &front("three", "Capital of Spain"),
                "<p>Madrid</p>",
            ),
            // Section fronts keep their note's context: the same heading in
            // two notes asks two questions.
            card(
                "d",
                "one.md",
                CardKind::Section,
                "Usage",
                &front("one", "Usage"),
                "<p>Run it daily.</p>",
            ),
            card(
                "e",
                "two.md",
                CardKind::Section,
                "Usage",
                &front("two", "Usage"),
                "<p>Call it with flags.</p>",
            ),
        ];
        let duplicates: HashSet<String> = examine(&cards)
            .into_iter()
            .filter(|f| f.rule == Rule::NearDuplicate)
            .map(|f| f.card_id)
            .collect();
        assert_eq!(duplicates, HashSet::from(["a".to_owned(), "b".to_owned()]));
    }
}
