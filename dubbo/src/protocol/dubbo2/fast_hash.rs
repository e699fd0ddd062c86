//! A hasher for the transport's own maps (request ids, exported interface names), whose keys no
//! peer chooses: multiply-and-rotate over 8-byte words instead of SipHash, which costs a hundred or
//! more instructions per lookup for resistance to chosen keys that these maps do not need.

use std::hash::{BuildHasherDefault, Hasher};

/// The odd multiplier of Fibonacci hashing (2^64 / φ).
const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// See the module documentation.
#[derive(Default)]
pub(crate) struct FastHasher(u64);

/// Builds [`FastHasher`]s for a `HashMap`.
pub(crate) type FastHash = BuildHasherDefault<FastHasher>;

impl FastHasher {
    fn add(&mut self, word: u64) {
        // The multiplication carries every input bit into the high bits, which hashbrown's control
        // bytes use; the rotation brings them back down for the bucket index.
        self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            self.add(u64::from_le_bytes(word));
        }
        let mut last = [0u8; 8];
        let rest = words.remainder();
        if let Some(dst) = last.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.add(u64::from_le_bytes(last) ^ (bytes.len() as u64) << 56);
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn write_i64(&mut self, id: i64) {
        self.add(id as u64);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::BuildHasher;

    use super::*;

    #[test]
    fn nearby_keys_spread_over_buckets_and_control_bytes() {
        let hash = |id: i64| FastHash::default().hash_one(id);
        let low: HashSet<u64> = (0..1024).map(|id| hash(id) & 1023).collect();
        let high: HashSet<u64> = (0..1024).map(|id| hash(id) >> 57).collect();
        assert!(low.len() > 600, "{} distinct buckets", low.len());
        assert_eq!(high.len(), 128);
        let names = ["com.foo.A", "com.foo.B", "com.foo.AB", "com.foo.A\0"];
        let hashes: HashSet<u64> = names
            .iter()
            .map(|n| FastHash::default().hash_one(n))
            .collect();
        assert_eq!(hashes.len(), names.len());
    }
}
