//! Little-endian binary encoding helpers for the saved model: a growable writer and
//! a bounds-checked reader that never panics on malformed input.

use std::fmt;

/// Malformed or truncated model bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

/// Appends values to a byte buffer.
#[derive(Debug, Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i16(&mut self, v: i16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    /// A length-prefixed UTF-8 string.
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }
    /// A length as u32 (lengths in a model are far below 4G).
    pub fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }
}

/// Reads values from a byte slice with bounds checks.
#[derive(Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data, pos: 0 }
    }
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.data.len())
            .ok_or_else(|| DecodeError(format!("truncated at byte {}", self.pos)))?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.bytes(N)?);
        Ok(a)
    }
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    pub fn f32(&mut self) -> Result<f32, DecodeError> {
        Ok(f32::from_le_bytes(self.array()?))
    }
    pub fn i16(&mut self) -> Result<i16, DecodeError> {
        Ok(i16::from_le_bytes(self.array()?))
    }
    /// A length, checked against the bytes left (each item takes at least `min_item` bytes).
    pub fn len(&mut self, min_item: usize) -> Result<usize, DecodeError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_item.max(1)) > self.data.len() - self.pos && min_item > 0 {
            return Err(DecodeError(format!(
                "length {n} exceeds the data at byte {}",
                self.pos
            )));
        }
        Ok(n)
    }
    pub fn str(&mut self) -> Result<&'a str, DecodeError> {
        let n = self.len(1)?;
        std::str::from_utf8(self.bytes(n)?)
            .map_err(|_| DecodeError(format!("bad UTF-8 before byte {}", self.pos)))
    }
    /// The bytes not read yet (without consuming them).
    pub fn rest(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }
    pub fn at_end(&self) -> bool {
        self.pos == self.data.len()
    }
}

/// A sorted table of strings in one buffer, found through a hash index built at
/// load. Loading it is one copy, one UTF-8 check and one hash per string, with no
/// per-string allocation.
#[derive(Debug, Clone, Default)]
pub struct SortedStrings {
    blob: String,
    /// `offsets[i]..offsets[i + 1]` is string `i`; one more entry than strings.
    offsets: Vec<u32>,
    /// Open addressing with linear probing: per slot, the high 32 bits of the
    /// string's hash and `i + 1` for string `i`, or `(0, 0)` when empty. Its length is
    /// a power of two at least twice the number of strings.
    slots: Vec<(u32, u32)>,
}

fn slot_hash(s: &str) -> u64 {
    super::hash::key_str(0, s)
}

impl SortedStrings {
    /// Builds the table; `strings` must be sorted and free of duplicates.
    pub fn from_sorted<S: AsRef<str>>(strings: &[S]) -> SortedStrings {
        let mut blob = String::new();
        let mut offsets = Vec::with_capacity(strings.len() + 1);
        offsets.push(0);
        for s in strings {
            blob.push_str(s.as_ref());
            offsets.push(blob.len() as u32);
        }
        SortedStrings::indexed(blob, offsets)
    }

    fn indexed(blob: String, offsets: Vec<u32>) -> SortedStrings {
        let mut table = SortedStrings {
            blob,
            offsets,
            slots: Vec::new(),
        };
        let n = table.len();
        if n == 0 {
            return table;
        }
        let size = (2 * n).next_power_of_two();
        let mask = size - 1;
        let mut slots = vec![(0u32, 0u32); size];
        for i in 0..n {
            let hash = slot_hash(table.get(i));
            let mut h = hash as usize & mask;
            while slots[h].1 != 0 {
                h = (h + 1) & mask;
            }
            slots[h] = ((hash >> 32) as u32, i as u32 + 1);
        }
        table.slots = slots;
        table
    }

    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// String `i` (empty when out of range).
    pub fn get(&self, i: usize) -> &str {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => self.blob.get(a as usize..b as usize).unwrap_or(""),
            _ => "",
        }
    }

    /// The index of `s`, if present.
    pub fn find(&self, s: &str) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let hash = slot_hash(s);
        let tag = (hash >> 32) as u32;
        let mut h = hash as usize & mask;
        loop {
            match self.slots[h] {
                (_, 0) => return None,
                (t, i) if t == tag && self.get(i as usize - 1) == s => return Some(i as usize - 1),
                _ => h = (h + 1) & mask,
            }
        }
    }

    /// The blob, then the number of strings and each string's length as a
    /// base-128 varint (one byte for most words).
    pub fn write(&self, w: &mut Writer) {
        w.str(&self.blob);
        w.len(self.len());
        for pair in self.offsets.windows(2) {
            let mut n = pair[1] - pair[0];
            loop {
                let low = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    w.u8(low);
                    break;
                }
                w.u8(low | 0x80);
            }
        }
    }

    pub fn read(r: &mut Reader<'_>) -> Result<SortedStrings, DecodeError> {
        Ok(SortedStrings::read_unindexed(r)?.with_index())
    }

    /// The table with its hash index built (see [`SortedStrings::read_unindexed`]).
    pub fn with_index(self) -> SortedStrings {
        if !self.slots.is_empty() || self.offsets.is_empty() {
            return self;
        }
        SortedStrings::indexed(self.blob, self.offsets)
    }

    /// Reads the table without building its hash index, which
    /// [`SortedStrings::with_index`] builds (on another thread, say); until then
    /// [`SortedStrings::find`] finds nothing.
    pub fn read_unindexed(r: &mut Reader<'_>) -> Result<SortedStrings, DecodeError> {
        let blob = r.str()?.to_string();
        let n = r.len(1)?;
        let mut offsets: Vec<u32> = Vec::with_capacity(n + 1);
        let mut at = 0u32;
        offsets.push(0);
        for _ in 0..n {
            let mut len = 0u32;
            for shift in [0, 7, 14, 21, 28] {
                let b = r.u8()?;
                len |= u32::from(b & 0x7f) << shift;
                if b & 0x80 == 0 {
                    break;
                }
            }
            at = at.saturating_add(len);
            offsets.push(at);
        }
        if n == 0 {
            offsets.clear();
        }
        let sorted = offsets.windows(2).all(|w| w[0] <= w[1]);
        let in_range = offsets.last().is_none_or(|l| *l as usize == blob.len());
        let on_chars = offsets.iter().all(|o| blob.is_char_boundary(*o as usize));
        if offsets.is_empty() && blob.is_empty() {
            return Ok(SortedStrings::default());
        }
        if offsets.is_empty() || offsets[0] != 0 || !sorted || !in_range || !on_chars {
            return Err(DecodeError("bad string table".into()));
        }
        Ok(SortedStrings {
            blob,
            offsets,
            slots: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_table_finds_every_string_after_a_round_trip() {
        let words: Vec<String> = (0..500).map(|i| format!("w{i:04}")).collect();
        let table = SortedStrings::from_sorted(&words);
        let mut w = Writer::default();
        table.write(&mut w);
        let mut r = Reader::new(&w.buf);
        let loaded = SortedStrings::read(&mut r).expect("reads");
        for (i, word) in words.iter().enumerate() {
            assert_eq!(table.find(word), Some(i));
            assert_eq!(loaded.find(word), Some(i));
            assert_eq!(loaded.get(i), word);
        }
        assert_eq!(loaded.find("w0500"), None);
        assert_eq!(loaded.find(""), None);
        assert_eq!(SortedStrings::default().find("w0001"), None);
    }
}
