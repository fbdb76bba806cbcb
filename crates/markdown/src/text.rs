//! Turning a file's bytes into clean note text.
//!
//! Notes arrive as UTF-8 (with or without a byte-order mark), as Windows-1252
//! from older editors, or as UTF-8 that some earlier tool read as
//! Windows-1252 and saved again (mojibake such as `â€”` for `—`). This module
//! decodes all of them to a `String` with `\n` line endings and says what it
//! had to do, so the import report can tell the user.

use encoding_rs::WINDOWS_1252;

/// How a file's bytes were turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The note text, with `\n` line endings and no byte-order mark.
    pub text: String,
    /// Which encoding was used.
    pub encoding: SourceEncoding,
    /// How many mojibake runs (UTF-8 read as Windows-1252) were repaired.
    pub mojibake_repaired: usize,
}

/// The encoding a note file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    /// Valid UTF-8 (a leading byte-order mark, if any, was dropped).
    Utf8,
    /// Not valid UTF-8: decoded as Windows-1252 (a superset of Latin-1).
    Windows1252,
}

/// Why a file's bytes cannot be a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotText {
    /// The bytes contain NUL or many control characters: a binary file.
    Binary,
}

/// Decodes a note file's bytes; refuses binary files.
pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    if looks_binary(bytes) {
        return Err(NotText::Binary);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, encoding) = match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), SourceEncoding::Utf8),
        Err(_) => {
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            (text.into_owned(), SourceEncoding::Windows1252)
        }
    };
    let text = normalize_newlines(text);
    let (text, mojibake_repaired) = repair_mojibake(text);
    Ok(Decoded {
        text,
        encoding,
        mojibake_repaired,
    })
}

/// True when the bytes hold a NUL, or more than 1 in 20 of the first 8 KiB
/// are control characters other than tab, CR, LF and form feed.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, bytes).is_some() {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    controls * 20 > head.len().max(1)
}

fn normalize_newlines(text: String) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The Windows-1252 byte a character would have been decoded from, if any.
///
/// Undefined Windows-1252 bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are commonly
/// passed through as the C1 control with the same number, so those count too.
fn cp1252_byte(c: char) -> Option<u8> {
    let code = c as u32;
    if (0xA0..=0xFF).contains(&code) || (0x80..=0x9F).contains(&code) {
        return Some(code as u8);
    }
    let byte = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(byte)
}

/// Repairs runs of characters that are UTF-8 bytes misread as Windows-1252.
///
/// A run is a maximal sequence of characters that all map to Windows-1252
/// bytes 0x80–0xFF. It is replaced only when those bytes form valid UTF-8 made
/// of complete multi-byte sequences, so genuine accented text (`é`, `ü`,
/// `“quoted”`) never changes: its bytes are not valid UTF-8.
pub fn repair_mojibake(text: String) -> (String, usize) {
    // A run needs a UTF-8 lead byte read as Windows-1252: a character
    // U+00C2..U+00F4, whose own UTF-8 starts with 0xC3. Without one the
    // text is kept as it is (not rebuilt a character at a time).
    if memchr::memchr(0xC3, text.as_bytes()).is_none() {
        return (text, 0);
    }
    repair_runs(&text)
}

/// [`repair_mojibake`] character by character.
fn repair_runs(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<u8> = Vec::new();
    let mut run_text = String::new();
    let mut repaired = 0;
    let mut flush = |run: &mut Vec<u8>, run_text: &mut String, out: &mut String| {
        if run.len() >= 2 {
            if let Ok(fixed) = std::str::from_utf8(run) {
                out.push_str(fixed);
                repaired += 1;
                run.clear();
                run_text.clear();
                return;
            }
        }
        out.push_str(run_text);
        run.clear();
        run_text.clear();
    };
    for c in text.chars() {
        match cp1252_byte(c) {
            Some(byte) => {
                run.push(byte);
                run_text.push(c);
            }
            None => {
                flush(&mut run, &mut run_text, &mut out);
                out.push(c);
            }
        }
    }
    flush(&mut run, &mut run_text, &mut out);
    (out, repaired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_and_crlf() {
        let d = decode(b"\xEF\xBB\xBF# T\r\nbody\r\n").unwrap();
        assert_eq!(d.text, "# T\nbody\n");
        assert_eq!(d.encoding, SourceEncoding::Utf8);
    }

    #[test]
    fn windows_1252_fallback() {
        let d = decode(b"caf\xE9 \x93quoted\x94").unwrap();
        assert_eq!(d.text, "café “quoted”");
        assert_eq!(d.encoding, SourceEncoding::Windows1252);
        assert_eq!(d.mojibake_repaired, 0);
    }

    proptest::proptest! {
        /// A text without a character U+00C2..U+00F4 is kept as it is,
        /// as the repair run character by character gives it back:
        /// decoding is that repair's output either way.
        #[test]
        fn decoding_repairs_as_the_repair_does(
            text in "[a \n\r\u{e9}\u{c3}\u{c2}\u{e2}\u{a9}\u{20ac}\u{2122}\u{201c}\u{9d}\u{f4}\u{f5}]{0,12}"
        ) {
            let decoded = decode(text.as_bytes()).expect("text");
            let newlines = text.replace("\r\n", "\n").replace('\r', "\n");
            let (repaired, count) = repair_runs(&newlines);
            proptest::prop_assert_eq!(decoded.text, repaired);
            proptest::prop_assert_eq!(decoded.mojibake_repaired, count);
        }
    }

    #[test]
    fn mojibake_is_repaired() {
        let (fixed, n) =
            repair_mojibake("an embeddingâ€”a vector, cafÃ© and â€œquotesâ€\u{9d}".to_owned());
        assert_eq!(fixed, "an embedding—a vector, café and “quotes”");
        assert_eq!(n, 4);
    }

    #[test]
    fn genuine_accents_are_kept() {
        let text = "Größe, naïve, “smart quotes” — déjà vu, ½ £";
        assert_eq!(repair_mojibake(text.to_owned()), (text.to_owned(), 0));
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(decode(b"PK\x03\x04\x00\x00"), Err(NotText::Binary));
    }
}
