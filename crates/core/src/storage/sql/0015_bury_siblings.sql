-- Schema 15: whether a deck keeps siblings apart (the cards of one `:::`
-- pair or one cloze paragraph are not shown on the same day); null
-- inherits (the default is on).
ALTER TABLE deck_options ADD COLUMN bury_siblings INTEGER CHECK (bury_siblings IN (0, 1));
