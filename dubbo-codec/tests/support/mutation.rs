//! Seeded random mutation of byte strings, for the bounded fuzz-style tests that CI runs.

/// xorshift64*: deterministic, no dependency.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `input` after one to five random edits: a flipped bit, a byte replaced or inserted from
/// `spice`, a truncation, a removed byte, or the caller's own `extra` edit.
pub fn mutate(
    rng: &mut Rng,
    input: &[u8],
    spice: &[u8],
    extra: &mut dyn FnMut(&mut Rng, &mut Vec<u8>),
) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(6) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() && !spice.is_empty() => {
                let i = rng.below(out.len());
                out[i] = spice[rng.below(spice.len())];
            }
            2 if !out.is_empty() => {
                let cut = rng.below(out.len());
                out.truncate(cut);
            }
            3 if !spice.is_empty() => {
                let i = rng.below(out.len() + 1);
                out.insert(i, spice[rng.below(spice.len())]);
            }
            4 if !out.is_empty() => {
                let i = rng.below(out.len());
                out.remove(i);
            }
            _ => extra(rng, &mut out),
        }
    }
    out
}
