//! The command line of `dubbo call`.

use dubbo::Attachments;

/// One `dubbo call` invocation.
pub struct Call {
    pub url: String,
    pub method: String,
    pub types: Vec<String>,
    pub args: String,
    pub attachments: Attachments,
    pub timeout_ms: Option<u64>,
}

/// Parses the arguments after the program name.
pub fn parse(mut argv: impl Iterator<Item = String>) -> Result<Call, String> {
    match argv.next().as_deref() {
        Some("call") => {}
        Some(other) => return Err(format!("unknown command `{other}`")),
        None => return Err("missing command".into()),
    }
    let url = argv.next().ok_or("missing <url>")?;
    let method = argv.next().ok_or("missing <method>")?;
    let mut call = Call {
        url,
        method,
        types: Vec::new(),
        args: "[]".into(),
        attachments: Attachments::new(),
        timeout_ms: None,
    };
    while let Some(flag) = argv.next() {
        let mut value = || argv.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--types" => {
                call.types = value()?
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect()
            }
            "--args" => call.args = value()?,
            "--attachment" => {
                let kv = value()?;
                let (k, v) = kv
                    .split_once('=')
                    .ok_or_else(|| format!("--attachment takes key=value, got `{kv}`"))?;
                call.attachments.insert(k, v);
            }
            "--timeout" => {
                let ms = value()?;
                call.timeout_ms = Some(
                    ms.parse()
                        .map_err(|_| format!("--timeout takes milliseconds, got `{ms}`"))?,
                );
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(call)
}
