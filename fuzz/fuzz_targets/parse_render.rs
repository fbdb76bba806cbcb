//! Fuzzes the note parser and renderer: any bytes must parse without a
//! panic or hang, and every card's HTML must pass the safety audit.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    notedeck_core::markdown::audit::audit_note(data);
});
