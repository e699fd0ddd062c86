//! The data of the Hessian benchmark (`benches/hessian.rs`): the same values
//! `java/HessianBench.java` builds, as serde types and as dynamic [`Value`]s.

use std::collections::HashMap;

use dubbo_codec::hessian::{Date, Value};
use serde::{Deserialize, Serialize};

/// Elements in the list.
pub const LIST_LEN: usize = 1000;
/// The single POJO is element 7 of the data set (any `i` would do; Java uses the same).
pub const POJO_INDEX: i32 = 7;

/// `bench.Address` in HessianBench.java.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "bench.Address")]
pub struct Address {
    /// `String city`.
    pub city: String,
    /// `int zip`.
    pub zip: i32,
}

/// `bench.Pojo` in HessianBench.java, fields in the order Caucho writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "bench.Pojo")]
pub struct Pojo {
    /// `int`.
    pub id: i32,
    /// `long`.
    pub timestamp: i64,
    /// `double`.
    pub score: f64,
    /// `boolean`.
    pub active: bool,
    /// `String`, short.
    pub name: String,
    /// `String`, about 40 characters.
    pub description: String,
    /// `java.lang.Integer`, null for every third element.
    pub rank: Option<i32>,
    /// `java.util.Date`.
    pub created: Date,
    /// `List<String>` (an `ArrayList`), three items.
    pub tags: Vec<String>,
    /// `Map<String, String>` (a `HashMap`), two entries.
    pub attrs: HashMap<String, String>,
    /// A nested object.
    pub owner: Address,
}

/// Element `i` of the data set: `HessianBench.makePojo(i)` builds the same.
pub fn make_pojo(i: i32) -> Pojo {
    Pojo {
        id: 1000 + i,
        timestamp: 1_700_000_000_000 + i64::from(i) * 1_000,
        score: 1.5 * f64::from(i) + 0.123456789,
        active: i % 2 == 0,
        name: format!("user-{i}"),
        description: format!("Benchmark record number {i}, a longer text"),
        rank: if i % 3 == 0 { None } else { Some(i % 100) },
        created: Date::from_millis(1_600_000_000_000 + i64::from(i) * 1_234),
        tags: vec!["alpha".to_owned(), format!("beta-{i}"), "gamma".to_owned()],
        attrs: HashMap::from([
            ("region".to_owned(), format!("eu-west-{}", i % 4)),
            ("tier".to_owned(), "gold".to_owned()),
        ]),
        owner: Address {
            city: "Springfield".to_owned(),
            zip: 10_000 + i,
        },
    }
}

/// The list: elements `0..LIST_LEN`.
pub fn make_list() -> Vec<Pojo> {
    (0..LIST_LEN as i32).map(make_pojo).collect()
}

/// The same POJO as a dynamic [`Value`] (what generic invocation handles).
pub fn pojo_value(p: &Pojo) -> Value {
    let mut attrs: Vec<(&String, &String)> = p.attrs.iter().collect();
    attrs.sort();
    Value::object(
        "bench.Pojo",
        vec![
            ("id", Value::Int(p.id)),
            ("timestamp", Value::Long(p.timestamp)),
            ("score", Value::Double(p.score)),
            ("active", Value::Bool(p.active)),
            ("name", Value::string(&p.name)),
            ("description", Value::string(&p.description)),
            ("rank", p.rank.map_or(Value::Null, Value::Int)),
            ("created", Value::Date(p.created.millis())),
            (
                "tags",
                Value::list(p.tags.iter().map(Value::string).collect()),
            ),
            (
                "attrs",
                Value::map(
                    attrs
                        .into_iter()
                        .map(|(k, v)| (Value::string(k), Value::string(v)))
                        .collect(),
                ),
            ),
            (
                "owner",
                Value::object(
                    "bench.Address",
                    vec![
                        ("city", Value::string(&p.owner.city)),
                        ("zip", Value::Int(p.owner.zip)),
                    ],
                ),
            ),
        ],
    )
}

/// `bench.Address` read without copying its string out of the input.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "bench.Address")]
pub struct AddressRef<'a> {
    /// `String city`, borrowed.
    pub city: &'a str,
    /// `int zip`.
    pub zip: i32,
}

/// [`Pojo`] read zero-copy: every string borrows from the input bytes (the decoder lends out
/// single-chunk UTF-8 strings), so decoding allocates only the `Vec` and the `HashMap`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "bench.Pojo")]
pub struct PojoRef<'a> {
    /// `int`.
    pub id: i32,
    /// `long`.
    pub timestamp: i64,
    /// `double`.
    pub score: f64,
    /// `boolean`.
    pub active: bool,
    /// `String`, borrowed.
    pub name: &'a str,
    /// `String`, borrowed.
    pub description: &'a str,
    /// `java.lang.Integer`.
    pub rank: Option<i32>,
    /// `java.util.Date`.
    pub created: Date,
    /// `List<String>`, borrowed items.
    #[serde(borrow)]
    pub tags: Vec<&'a str>,
    /// `Map<String, String>`, borrowed keys and values.
    #[serde(borrow)]
    pub attrs: HashMap<&'a str, &'a str>,
    /// A nested object.
    #[serde(borrow)]
    pub owner: AddressRef<'a>,
}

impl PojoRef<'_> {
    /// True if this holds the same values as `p`.
    pub fn same_as(&self, p: &Pojo) -> bool {
        self.id == p.id
            && self.timestamp == p.timestamp
            && self.score.to_bits() == p.score.to_bits()
            && self.active == p.active
            && self.name == p.name
            && self.description == p.description
            && self.rank == p.rank
            && self.created == p.created
            && self.tags.iter().eq(p.tags.iter())
            && self.attrs.len() == p.attrs.len()
            && self
                .attrs
                .iter()
                .all(|(k, v)| p.attrs.get(*k).is_some_and(|pv| pv == v))
            && self.owner.city == p.owner.city
            && self.owner.zip == p.owner.zip
    }
}
