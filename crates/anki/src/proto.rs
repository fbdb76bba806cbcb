//! Just enough of protobuf's wire format to read the few small messages
//! Anki's schema 18 keeps (a note type's kind, a template's formats, the
//! media list): a message is a list of numbered fields, each a varint, a
//! length-delimited byte string (a string, bytes or a nested message) or a
//! fixed 32- or 64-bit value. Unknown fields are kept as read and ignored
//! by the callers, so a newer Anki's additions do no harm.

/// One field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// A varint (an integer, a bool, an enum).
    Varint(u64),
    /// A length-delimited value (a string, bytes, a nested message).
    Bytes(&'a [u8]),
    /// A fixed 64- or 32-bit value.
    Fixed(u64),
}

/// The fields of a message in order, or `None` when it is not one.
pub fn fields(mut bytes: &[u8]) -> Option<Vec<(u64, Value<'_>)>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let key = varint(&mut bytes)?;
        let (number, wire) = (key >> 3, key & 7);
        let value = match wire {
            0 => Value::Varint(varint(&mut bytes)?),
            1 => Value::Fixed(u64::from_le_bytes(take(&mut bytes, 8)?.try_into().ok()?)),
            2 => {
                let len = usize::try_from(varint(&mut bytes)?).ok()?;
                Value::Bytes(take(&mut bytes, len)?)
            }
            5 => Value::Fixed(u64::from(u32::from_le_bytes(
                take(&mut bytes, 4)?.try_into().ok()?,
            ))),
            _ => return None,
        };
        out.push((number, value));
    }
    Some(out)
}

/// The first string field numbered `number` of a message.
pub fn string(message: &[u8], number: u64) -> Option<String> {
    fields(message)?.into_iter().find_map(|(n, v)| match v {
        Value::Bytes(b) if n == number => std::str::from_utf8(b).ok().map(str::to_owned),
        _ => None,
    })
}

/// The first varint field numbered `number` of a message.
pub fn number(message: &[u8], number: u64) -> Option<u64> {
    fields(message)?.into_iter().find_map(|(n, v)| match v {
        Value::Varint(x) if n == number => Some(x),
        _ => None,
    })
}

fn take<'a>(bytes: &mut &'a [u8], len: usize) -> Option<&'a [u8]> {
    if bytes.len() < len {
        return None;
    }
    let (head, rest) = bytes.split_at(len);
    *bytes = rest;
    Some(head)
}

fn varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_varints_strings_and_nested_messages_and_refuses_cut_ones() {
        // field 1 = "hi", field 2 = 300, field 3 = { field 1 = 1 }
        let message = [0x0a, 2, b'h', b'i', 0x10, 0xac, 0x02, 0x1a, 2, 0x08, 1];
        assert_eq!(string(&message, 1).as_deref(), Some("hi"));
        assert_eq!(number(&message, 2), Some(300));
        let nested = fields(&message).expect("message")[2].1;
        let Value::Bytes(inner) = nested else {
            panic!("nested")
        };
        assert_eq!(number(inner, 1), Some(1));
        assert_eq!(fields(&message[..5]), None);
    }
}
