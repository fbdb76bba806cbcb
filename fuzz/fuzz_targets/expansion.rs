//! Fuzzes what a note may expand into: written cards, clozes, footnotes,
//! embeds and Logseq block references (every one finds the part of the
//! input after a `---8<---` line), checking that the cards stay within the
//! note's budget and that their HTML passes the safety audit.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    notedeck_core::markdown::audit::audit_expansion(data);
});
