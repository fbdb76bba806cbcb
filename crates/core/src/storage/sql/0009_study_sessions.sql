-- Schema 9: answers given in a custom study session say which (`ahead`,
-- `extra_new`, `failed_today`, `cram`); null for the daily queue. Custom
-- sessions leave the daily limits as they were: their answers do not count
-- against them. Cram answers (kind `cram`) change no schedule.
ALTER TABLE review_log ADD COLUMN session TEXT;
