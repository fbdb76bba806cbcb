-- Schema 23: answers brought in from Anki. An imported answer is history:
-- its logged state after is Anki's, and a replay takes it as it is (the
-- replay starts from the imported state), so `check` passes and answers
-- given here since replay from it. Each Anki card brought in is
-- remembered with the card it became, so a newer export of the same
-- collection adds only what is new.
ALTER TABLE review_log ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;

CREATE TABLE anki_cards (
    guid TEXT NOT NULL,
    ord INTEGER NOT NULL,
    anki_card INTEGER NOT NULL,
    card_id TEXT NOT NULL REFERENCES cards(id),
    PRIMARY KEY (guid, ord)
) STRICT, WITHOUT ROWID;
CREATE INDEX anki_cards_card ON anki_cards(card_id);
