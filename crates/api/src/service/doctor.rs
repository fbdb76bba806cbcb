//! The card doctor: its findings in a deck or in what an import changed,
//! the learner's dismissals, and its last findings kept while nothing
//! changed.

use notedeck_core::doctor::{Doctor, Finding};
use notedeck_core::storage::ChangeMark;

use crate::*;

/// The most findings kept between two looks (about 250 bytes each): a
/// collection with more is examined afresh each time.
const MAX_KEPT_FINDINGS: usize = 100_000;

/// What the doctor found in a deck (or in every deck), dismissed ones
/// included, and the collection's mark when it looked.
pub(crate) struct DoctorMemo {
    deck: Option<String>,
    mark: ChangeMark,
    findings: Vec<Finding>,
}

impl Service {
    /// The card doctor's findings (not dismissed) in the cards of the notes
    /// an import added or changed.
    pub(crate) fn doctor_count(&self, report: &ImportReportDto) -> ApiResult<u64> {
        let reader = self.collection.reader();
        let mut doctor = Doctor::new();
        for note in &report.notes {
            if matches!(note.status.as_str(), "new" | "updated" | "moved") {
                for card in reader.cards_of_note_path(&note.path)? {
                    doctor.look_at(&card);
                }
            }
        }
        Ok(self.undismissed(doctor.finish())?.len() as u64)
    }

    /// `findings` without those the learner dismissed.
    fn undismissed(&self, mut findings: Vec<Finding>) -> ApiResult<Vec<Finding>> {
        let dismissed = self.collection.reader().dismissed_findings()?;
        if !dismissed.is_empty() {
            findings
                .retain(|f| !dismissed.contains(&(f.card_id.clone(), f.rule.as_str().to_owned())));
        }
        Ok(findings)
    }

    /// What the card doctor finds in every card, or in those of `deck` and
    /// its sub-decks. It only reports. Asked again while the collection is
    /// unchanged (dismissals aside), it answers from its last look.
    pub fn doctor(&self, deck: Option<&str>) -> ApiResult<Vec<FindingDto>> {
        Ok(self
            .findings(deck)?
            .into_iter()
            .map(FindingDto::from)
            .collect())
    }

    /// A part of [`Service::doctor`]'s findings: how many each rule has,
    /// the cards they are on, and the first `limit` of each rule (or of
    /// `rule` alone).
    pub fn doctor_page(&self, request: &DoctorPageRequest) -> ApiResult<DoctorPageDto> {
        let limit = request.limit()?;
        let only = request.rule.map(notedeck_core::doctor::Rule::from);
        let findings = self.findings(request.deck())?;
        let mut counts = [0u64; notedeck_core::doctor::Rule::ALL.len()];
        let mut cards = std::collections::HashSet::new();
        let mut page = Vec::new();
        for finding in findings {
            let index = notedeck_core::doctor::Rule::ALL
                .iter()
                .position(|&r| r == finding.rule)
                .unwrap_or(0);
            counts[index] += 1;
            cards.insert(finding.card_id.clone());
            if only.is_none_or(|rule| rule == finding.rule) && counts[index] <= limit as u64 {
                page.push(FindingDto::from(finding));
            }
        }
        let rules = notedeck_core::doctor::Rule::ALL
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(&rule, findings)| RuleFindingsDto {
                rule: rule.into(),
                findings,
            })
            .collect();
        Ok(DoctorPageDto {
            rules,
            cards: cards.len() as u64,
            findings: page,
        })
    }

    /// The doctor's findings (not dismissed) in `deck`, from its last look
    /// when the collection is unchanged since.
    fn findings(&self, deck: Option<&str>) -> ApiResult<Vec<Finding>> {
        let deck = self.resolve_deck_opt(deck)?;
        let mark = self.collection.change_mark()?;
        let kept = self.kept_findings(deck.as_deref(), mark);
        let findings = match kept {
            Some(findings) => findings,
            None => {
                let reader = self.collection.reader();
                let findings =
                    Doctor::look_at_all(|visit| reader.for_each_card(deck.as_deref(), visit))?
                        .finish();
                self.keep_findings(deck, mark, &findings);
                findings
            }
        };
        self.undismissed(findings)
    }

    /// The findings of the last look at `deck`, if the collection is as it
    /// was then.
    fn kept_findings(&self, deck: Option<&str>, mark: ChangeMark) -> Option<Vec<Finding>> {
        let memo = self.doctor_memo.lock().ok()?;
        let memo = memo.as_ref()?;
        (memo.deck.as_deref() == deck && memo.mark == mark).then(|| memo.findings.clone())
    }

    /// Keeps `findings` of `deck` for the next look (not too many of them).
    fn keep_findings(&self, deck: Option<String>, mark: ChangeMark, findings: &[Finding]) {
        if let Ok(mut memo) = self.doctor_memo.lock() {
            *memo = (findings.len() <= MAX_KEPT_FINDINGS).then(|| DoctorMemo {
                deck,
                mark,
                findings: findings.to_vec(),
            });
        }
    }

    /// Dismisses a finding of the card doctor (it stays dismissed), or
    /// brings it back. The doctor's last look stays good: a dismissal
    /// changes no card.
    pub fn dismiss_finding(
        &mut self,
        request: &DismissRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<DismissRequest> {
        let before = self.collection.change_mark()?;
        notedeck_core::doctor::dismiss(
            &mut self.collection,
            &CardId::from(request.card_id.as_str()),
            request.rule.into(),
            request.dismissed,
            now,
        )?;
        let after = self.collection.change_mark()?;
        if let Ok(mut memo) = self.doctor_memo.lock() {
            if let Some(memo) = memo.as_mut() {
                if memo.mark == before && before.only_own_writes_before(after) {
                    memo.mark = after;
                }
            }
        }
        Ok(request.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DoctorRule, ImportRequest};

    fn vague_fronts(service: &Service) -> Vec<String> {
        let mut fronts: Vec<String> = service
            .doctor(None)
            .expect("doctor")
            .into_iter()
            .filter(|f| f.rule == DoctorRule::VagueFront)
            .map(|f| f.front)
            .collect();
        fronts.sort();
        fronts
    }

    /// A page gives every rule's count, the cards they are on, and only
    /// the first findings of each rule, or of the rule asked for.
    #[test]
    fn a_page_counts_every_rule_and_gives_the_first_findings() {
        let dir = tempfile::tempdir().expect("temp dir");
        let notes = dir.path().join("notes");
        std::fs::create_dir_all(&notes).expect("mkdir");
        let facts: String = (1..=12)
            .map(|i| format!("Fact number {i} is here. "))
            .collect();
        let text = format!(
            "# Cells\n## Overview\nCells hold parts.\n## Summary\nMembranes hold cells.\n\
             ## Notes\nRibosomes make proteins.\n## Details\n{facts}\n"
        );
        std::fs::write(notes.join("cells.md"), text).expect("write");
        let mut service = Service::open(&dir.path().join("c.sqlite3")).expect("open");
        let now = "2026-03-01T09:00:00Z".parse().expect("time");
        service
            .import(&[notes], &ImportRequest::default(), now, &mut |_| {})
            .expect("import");
        let all = service.doctor(None).expect("doctor");
        let count = |rule| all.iter().filter(|f| f.rule == rule).count() as u64;
        assert_eq!(count(DoctorRule::VagueFront), 4);
        assert_eq!(count(DoctorRule::TooLong), 1);

        let request = |rule: Option<DoctorRule>, limit: Option<u64>| DoctorPageRequest {
            deck: None,
            rule,
            limit: limit.map(Count),
        };
        let page = service.doctor_page(&request(None, Some(2))).expect("page");
        let rules: Vec<(DoctorRule, u64)> =
            page.rules.iter().map(|r| (r.rule, r.findings)).collect();
        assert_eq!(
            rules,
            [(DoctorRule::TooLong, 1), (DoctorRule::VagueFront, 4)],
            "in the doctor's order of rules"
        );
        let cards: std::collections::HashSet<&str> =
            all.iter().map(|f| f.card_id.as_str()).collect();
        assert_eq!(page.cards, cards.len() as u64);
        let vague: Vec<&FindingDto> = all
            .iter()
            .filter(|f| f.rule == DoctorRule::VagueFront)
            .collect();
        let shown: Vec<&FindingDto> = page
            .findings
            .iter()
            .filter(|f| f.rule == DoctorRule::VagueFront)
            .collect();
        assert_eq!(shown, vague[..2], "the first two, by note and line");
        assert_eq!(page.findings.len(), 3);

        let one = service
            .doctor_page(&request(Some(DoctorRule::VagueFront), None))
            .expect("one rule");
        assert_eq!(one.rules, page.rules, "the counts cover every rule");
        assert!(one
            .findings
            .iter()
            .all(|f| f.rule == DoctorRule::VagueFront));
        assert_eq!(one.findings.len(), 4, "up to 50 a rule at first");
        let none = service
            .doctor_page(&request(None, Some(0)))
            .expect("counts only");
        assert!(none.findings.is_empty());
        assert_eq!(none.rules, page.rules);
        let too_many = service
            .doctor_page(&request(None, Some(MAX_DOCTOR_PAGE_FINDINGS + 1)))
            .expect_err("too many");
        assert_eq!(too_many.code, ErrorCode::InvalidInput);
    }

    /// The doctor's kept look is used only while nothing changed: a change
    /// through the same service, or another connection's commit, makes it
    /// look again; a dismissal keeps it (and is applied to it).
    #[test]
    fn kept_findings_last_only_while_the_collection_is_unchanged() {
        let dir = tempfile::tempdir().expect("temp dir");
        let notes = dir.path().join("notes");
        std::fs::create_dir_all(&notes).expect("mkdir");
        let note = notes.join("cells.md");
        let mut text =
            String::from("# Cells\n## Overview\nA cell holds its parts in a membrane.\n");
        std::fs::write(&note, &text).expect("write");
        let path = dir.path().join("c.sqlite3");
        let now = "2026-03-01T09:00:00Z".parse().expect("time");
        let import = |service: &mut Service| {
            service
                .import(
                    std::slice::from_ref(&notes),
                    &ImportRequest::default(),
                    now,
                    &mut |_| {},
                )
                .expect("import");
        };
        let mut service = Service::open(&path).expect("open");
        import(&mut service);
        assert_eq!(vague_fronts(&service), ["Overview"]);
        assert_eq!(vague_fronts(&service), ["Overview"], "from the kept look");

        // Another connection (another process, or the sync beside the app).
        text.push_str("## Summary\nThe nucleus holds the genes.\n");
        std::fs::write(&note, &text).expect("write");
        import(&mut Service::open(&path).expect("open again"));
        assert_eq!(vague_fronts(&service), ["Overview", "Summary"]);

        // The same service.
        text.push_str("## Notes\nRibosomes make proteins.\n");
        std::fs::write(&note, &text).expect("write");
        import(&mut service);
        assert_eq!(vague_fronts(&service), ["Notes", "Overview", "Summary"]);

        let summary = service
            .doctor(None)
            .expect("doctor")
            .into_iter()
            .find(|f| f.front == "Summary")
            .expect("summary");
        let mut dismissal = DismissRequest {
            card_id: summary.card_id,
            rule: DoctorRule::VagueFront,
            dismissed: true,
        };
        service.dismiss_finding(&dismissal, now).expect("dismiss");
        let mark = service.collection.change_mark().expect("mark");
        let kept = service
            .doctor_memo
            .lock()
            .expect("memo")
            .as_ref()
            .map(|m| m.mark);
        assert_eq!(kept, Some(mark), "a dismissal keeps the look");
        assert_eq!(vague_fronts(&service), ["Notes", "Overview"]);
        dismissal.dismissed = false;
        service
            .dismiss_finding(&dismissal, now)
            .expect("bring back");
        assert_eq!(vague_fronts(&service), ["Notes", "Overview", "Summary"]);
    }
}
