//! An append-only table whose first entries live inline, for the decoder's per-stream tables.
//!
//! A typical Dubbo body defines a couple of classes with a dozen fields and takes a few reference
//! slots: with the first `N` entries inside the [`Decoder`](super::Decoder) value itself, such a
//! stream allocates nothing for its tables. Longer streams spill the rest to a `Vec`.

/// Entries `0..N` inline, the rest in `spill`.
#[derive(Debug, Clone)]
pub(crate) struct Table<T, const N: usize> {
    inline: [T; N],
    len: usize,
    spill: Vec<T>,
}

impl<T: Copy + Default, const N: usize> Table<T, N> {
    /// An empty table (no allocation).
    pub(crate) fn new() -> Self {
        Table {
            inline: [T::default(); N],
            len: 0,
            spill: Vec::new(),
        }
    }

    /// The number of entries.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Appends `v`.
    #[inline]
    pub(crate) fn push(&mut self, v: T) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = v,
            None => self.spill.push(v),
        }
        self.len += 1;
    }

    /// Entry `i`, if there is one.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            None
        } else if i < N {
            self.inline.get(i)
        } else {
            self.spill.get(i - N)
        }
    }
}

impl<T: Copy + Default + Ord, const N: usize> Table<T, N> {
    /// Binary search of a table sorted in ascending order, as [`slice::binary_search`].
    pub(crate) fn binary_search(&self, x: &T) -> Result<usize, usize> {
        let inline = self.inline.get(..self.len.min(N)).unwrap_or(&[]);
        // Something spilled only once the inline entries are full.
        if self.spill.is_empty() || inline.last().is_some_and(|last| x <= last) {
            inline.binary_search(x)
        } else {
            self.spill
                .binary_search(x)
                .map(|i| i + N)
                .map_err(|i| i + N)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::Table;

    #[test]
    fn spills_past_the_inline_entries() {
        let mut t: Table<usize, 3> = Table::new();
        assert_eq!(t.get(0), None);
        assert_eq!(t.binary_search(&5), Err(0));
        for v in 0..10 {
            t.push(v * 10);
        }
        assert_eq!(t.len(), 10);
        assert_eq!((0..10).map(|i| *t.get(i).unwrap()).collect::<Vec<_>>(), {
            (0..10).map(|v| v * 10).collect::<Vec<_>>()
        });
        assert_eq!(t.get(10), None);
        let sorted: Vec<usize> = (0..10).map(|v| v * 10).collect();
        for x in 0..100 {
            assert_eq!(t.binary_search(&x), sorted.binary_search(&x), "{x}");
        }
    }

    #[test]
    fn short_table_stays_inline() {
        let mut t: Table<u8, 4> = Table::new();
        t.push(1);
        t.push(3);
        assert_eq!((t.get(0), t.get(1)), (Some(&1), Some(&3)));
        assert_eq!(t.binary_search(&3), Ok(1));
        assert_eq!(t.binary_search(&2), Err(1));
        assert_eq!(t.binary_search(&9), Err(2));
        assert_eq!(t.get(2), None);
    }
}

#[cfg(test)]
mod name_tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use crate::hessian::{Value, from_slice, value_from_bytes};

    /// A class whose name and first field name are not single-chunk UTF-8 in the input (so the
    /// decoder keeps owned copies), followed by two instances.
    const OWNED_NAMES: &[u8] = &[
        b'C', b'R', 0x00, 0x01, b'T', 0x01, b'x', // class "Tx", chunked
        0x92, // two fields
        b'R', 0x00, 0x01, b'a', 0x01, b'b', // "ab", chunked
        0x01, b'c', // "c"
        0x60, 0x91, 0x92, // T{ab: 1, c: 2}
    ];

    #[test]
    fn owned_class_and_field_names() {
        let m: BTreeMap<String, i32> = from_slice(OWNED_NAMES).unwrap();
        assert_eq!(
            m,
            BTreeMap::from([("ab".to_owned(), 1), ("c".to_owned(), 2)])
        );
        let Value::Object(o) = value_from_bytes(OWNED_NAMES).unwrap() else {
            panic!("not an object");
        };
        assert_eq!(o.class, "Tx");
        let names: Vec<&str> = o.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["ab", "c"]);
    }
}
