-- Findings of the card doctor the learner dismissed: they stay dismissed.
CREATE TABLE dismissed_findings (
    card_id      TEXT NOT NULL REFERENCES cards(id),
    rule         TEXT NOT NULL,
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (card_id, rule)
) STRICT;
