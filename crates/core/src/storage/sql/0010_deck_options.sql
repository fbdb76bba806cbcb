-- Schema 10: options per deck, inherited by its sub-decks; a null field
-- takes the parent's (then the collection's) value. Kept by deck name, so
-- a deck emptied and filled again keeps them.
CREATE TABLE deck_options (
    deck            TEXT PRIMARY KEY,
    new_per_day     INTEGER,
    reviews_per_day INTEGER,
    new_order       TEXT CHECK (new_order IN ('note', 'random')),
    max_interval    INTEGER
) STRICT;
-- The longest interval in force when an answer was given (null: none), so
-- that replaying the log gives the same schedule.
ALTER TABLE review_log ADD COLUMN max_interval INTEGER;
