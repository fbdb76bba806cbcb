-- Schema 3: the hardest cards (most lapses, lowest E-Factor) without a scan.
CREATE INDEX cards_hardest ON cards(lapses DESC, ease_factor, id)
    WHERE retired = 0 AND lapses > 0;
