//! Fast non-cryptographic hashing: feature keys (64-bit hashes of template + payload)
//! and a hasher for the in-memory maps (word caches, dictionaries).

use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x517c_c1b7_2722_0a95;

/// One mixing step.
#[inline]
pub fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(K)
}

/// The final avalanche (MurmurHash3 fmix64), so every output bit depends on every input bit.
#[inline]
pub fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[inline]
fn mix_bytes(mut h: u64, bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(b));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(b));
    }
    mix(h, bytes.len() as u64)
}

/// The key of a string-valued feature of template `tpl`.
#[inline]
pub fn key_str(tpl: u64, s: &str) -> u64 {
    finish(mix_bytes(mix(0x9e37_79b9_7f4a_7c15, tpl), s.as_bytes()))
}

/// The key of a feature built from up to three numbers (other keys, offsets, ids).
#[inline]
pub fn key_nums(tpl: u64, a: u64, b: u64, c: u64) -> u64 {
    finish(mix(mix(mix(mix(0x2545_f491_4f6c_dd1d, tpl), a), b), c))
}

/// An Fx-style hasher for `HashMap`s keyed by strings or already-hashed integers.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    h: u64,
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.h = mix_bytes(self.h, bytes);
    }
    #[inline]
    fn write_u64(&mut self, x: u64) {
        self.h = mix(self.h, x);
    }
    #[inline]
    fn write_u32(&mut self, x: u32) {
        self.h = mix(self.h, u64::from(x));
    }
    #[inline]
    fn write_u8(&mut self, x: u8) {
        self.h = mix(self.h, u64::from(x));
    }
    #[inline]
    fn write_usize(&mut self, x: usize) {
        self.h = mix(self.h, x as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.h
    }
}

/// The `BuildHasher` for [`FxHasher`].
pub type FxBuild = BuildHasherDefault<FxHasher>;

/// A `HashMap` with [`FxHasher`].
pub type FxMap<K, V> = std::collections::HashMap<K, V, FxBuild>;
