-- Schema 16: learning steps (an option). A card in its steps is shown
-- again at a time of day: `learning` is `step@due` (UTC seconds; `r`
-- first in the relearning steps), null outside them. Each answer records
-- the card's place before and after and the steps it was given under, so
-- replaying the log gives the same places.
ALTER TABLE cards ADD COLUMN learning TEXT;
ALTER TABLE review_log ADD COLUMN learning_before TEXT;
ALTER TABLE review_log ADD COLUMN learning_after TEXT;
ALTER TABLE review_log ADD COLUMN steps TEXT;
ALTER TABLE card_actions ADD COLUMN learning_before TEXT;
-- The queue finds the few cards in their steps without a scan.
CREATE INDEX cards_learning ON cards(learning) WHERE learning IS NOT NULL;
-- A deck's own steps (null: inherited; '' : none).
ALTER TABLE deck_options ADD COLUMN learning_steps TEXT;
ALTER TABLE deck_options ADD COLUMN relearning_steps TEXT;
