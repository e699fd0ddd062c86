//! The Rust operations of the Hessian benchmark (`benches/hessian.rs`), shared with the
//! `hessian_mimalloc` runner, which times the serde operations again under the mimalloc allocator.

use dubbo_codec::hessian::{self, Value, value_from_bytes, value_to_bytes};

use crate::hessian_data::{POJO_INDEX, Pojo, PojoRef, make_list, make_pojo, pojo_value};

/// Everything the Rust operations work on.
pub struct Inputs {
    /// The single POJO.
    pub pojo: Pojo,
    /// The list of [`LIST_LEN`](crate::hessian_data::LIST_LEN) POJOs.
    pub list: Vec<Pojo>,
    /// The POJO as a dynamic value.
    pub pojo_value: Value,
    /// The list as a dynamic value.
    pub list_value: Value,
    /// The bytes decoded: Java's when timing, Rust's own (`Value`-encoded) when profiling.
    pub pojo_bytes: Vec<u8>,
    /// The list bytes decoded (see `pojo_bytes`).
    pub list_bytes: Vec<u8>,
}

impl Inputs {
    /// The data set, decoding the given bytes (Rust's own `Value` encoding when `None`).
    pub fn new(pojo_bytes: Option<Vec<u8>>, list_bytes: Option<Vec<u8>>) -> Inputs {
        let pojo = make_pojo(POJO_INDEX);
        let list = make_list();
        let list_value = Value::list(list.iter().map(pojo_value).collect());
        let pojo_value = pojo_value(&pojo);
        let pojo_bytes = pojo_bytes.unwrap_or_else(|| value_to_bytes(&pojo_value));
        let list_bytes = list_bytes.unwrap_or_else(|| value_to_bytes(&list_value));
        Inputs {
            pojo,
            list,
            pojo_value,
            list_value,
            pojo_bytes,
            list_bytes,
        }
    }
}

/// One Rust operation: the Java operation it compares with, the variant, and the work (returning
/// something derived from its result, so nothing is optimised away).
pub struct RustOp<'a> {
    /// The Java operation it is compared with.
    pub java_op: &'static str,
    /// How Rust does it (`serde`, `serde &str`, `Value`).
    pub variant: &'static str,
    /// Runs the operation once.
    pub run: Box<dyn FnMut() -> usize + 'a>,
}

impl RustOp<'_> {
    /// The name used by `--profile`, e.g. `list1000-decode-serde-str`.
    pub fn name(&self) -> String {
        format!(
            "{}-{}",
            self.java_op,
            self.variant.to_lowercase().replace(" &", "-")
        )
    }
}

/// Every Rust operation of the benchmark, in table order.
pub fn rust_ops(inp: &Inputs) -> Vec<RustOp<'_>> {
    fn op<'a>(
        java_op: &'static str,
        variant: &'static str,
        run: impl FnMut() -> usize + 'a,
    ) -> RustOp<'a> {
        RustOp {
            java_op,
            variant,
            run: Box::new(run),
        }
    }
    vec![
        op("pojo-encode", "serde", || {
            hessian::to_vec(&inp.pojo).map_or(0, |b| b.len())
        }),
        op("pojo-decode", "serde", || {
            hessian::from_slice::<Pojo>(&inp.pojo_bytes).map_or(0, |p| p.name.len())
        }),
        op("list1000-encode", "serde", || {
            hessian::to_vec(&inp.list).map_or(0, |b| b.len())
        }),
        op("list1000-decode", "serde", || {
            hessian::from_slice::<Vec<Pojo>>(&inp.list_bytes).map_or(0, |l| l.len())
        }),
        op("pojo-decode", "serde &str", || {
            hessian::from_slice::<PojoRef<'_>>(&inp.pojo_bytes).map_or(0, |p| p.name.len())
        }),
        op("list1000-decode", "serde &str", || {
            hessian::from_slice::<Vec<PojoRef<'_>>>(&inp.list_bytes).map_or(0, |l| l.len())
        }),
        op("pojo-encode", "Value", || {
            value_to_bytes(&inp.pojo_value).len()
        }),
        op("pojo-decode", "Value", || {
            value_from_bytes(&inp.pojo_bytes).map_or(0, |v| v.kind().len())
        }),
        op("list1000-encode", "Value", || {
            value_to_bytes(&inp.list_value).len()
        }),
        op("list1000-decode", "Value", || {
            value_from_bytes(&inp.list_bytes).map_or(0, |v| v.kind().len())
        }),
    ]
}
