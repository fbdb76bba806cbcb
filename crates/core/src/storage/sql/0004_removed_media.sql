-- Media files removed when the media rule became strict (only images,
-- audio, video and PDF whose content matches their ending): what was
-- removed and why, so the removal can be reported and looked up later.
CREATE TABLE removed_media (
    name   TEXT PRIMARY KEY,
    reason TEXT NOT NULL
);
