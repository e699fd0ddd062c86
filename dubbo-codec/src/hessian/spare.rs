//! Reuse of the decoder's table buffers between streams on one thread.
//!
//! A decoder per Dubbo body (or per `from_slice` call) would otherwise allocate and free its class,
//! field-name and reference tables every time. When a [`Decoder`] is dropped its emptied buffers are
//! parked in a thread-local slot and the next decoder on the thread starts with them. Buffers that grew
//! large are freed instead, so at most a few KiB stay parked per thread.

use std::borrow::Cow;
use std::cell::Cell;

use super::decoder::{ClassDef, Decoder};

/// Buffers with more entries than this are freed rather than kept.
const KEEP_MAX: usize = 256;

/// The emptied tables of a dropped decoder.
#[derive(Default)]
pub(crate) struct Spare {
    pub(crate) classes: Vec<ClassDef<'static>>,
    pub(crate) field_names: Vec<Cow<'static, str>>,
    pub(crate) slots: Vec<usize>,
}

thread_local! {
    static SPARE: Cell<Option<Spare>> = const { Cell::new(None) };
}

/// Takes the parked buffers (empty ones if there are none).
pub(crate) fn take() -> Spare {
    SPARE
        .try_with(Cell::take)
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// An empty vector reusing `v`'s allocation for another element type of the same layout (here: the
/// same type with another lifetime). Collecting a `vec::IntoIter` in place keeps its buffer; if that
/// ever stops happening this only costs an allocation.
pub(crate) fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

fn keep<T>(v: Vec<T>) -> Vec<T> {
    if v.capacity() > KEEP_MAX {
        Vec::new()
    } else {
        v
    }
}

impl Drop for Decoder<'_> {
    fn drop(&mut self) {
        let spare = Spare {
            classes: keep(recycle(std::mem::take(&mut self.classes))),
            field_names: keep(recycle(std::mem::take(&mut self.field_names))),
            slots: keep(recycle(std::mem::take(&mut self.slots))),
        };
        // Errors only if the thread is exiting: then the buffers are simply freed.
        let _ = SPARE.try_with(|s| s.set(Some(spare)));
    }
}
