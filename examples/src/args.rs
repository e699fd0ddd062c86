//! A tiny `--flag value` parser for the example binaries.

/// `--name value` pairs from the command line.
pub struct Flags(Vec<(String, String)>);

impl Flags {
    /// Reads `--name value` pairs; anything else is an error naming it.
    pub fn parse(argv: impl Iterator<Item = String>, known: &[&str]) -> Result<Flags, String> {
        let mut argv = argv;
        let mut out = Vec::new();
        while let Some(flag) = argv.next() {
            let name = flag
                .strip_prefix("--")
                .filter(|n| known.contains(n))
                .ok_or_else(|| {
                    format!(
                        "unknown argument `{flag}` (known: {})",
                        known
                            .iter()
                            .map(|k| format!("--{k}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
            let value = argv.next().ok_or_else(|| format!("{flag} needs a value"))?;
            out.push((name.to_owned(), value));
        }
        Ok(Flags(out))
    }

    /// The value of `--name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}
