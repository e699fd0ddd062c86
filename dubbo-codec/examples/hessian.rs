//! `hessian decode`: hex on stdin -> typed-value JSON on stdout.
//! `hessian encode`: typed-value JSON on stdin -> hex on stdout.
//!
//! The notation is the one of the shared conformance vectors. Bad input exits with status 1 and a
//! message on stderr; a wrong command line exits with status 2.

use std::io::Read;
use std::process::ExitCode;

use dubbo_codec::hessian::{Decoder, notation, value_to_bytes};

fn run(mode: &str, input: &str) -> Result<String, String> {
    match mode {
        "decode" => {
            let bytes = notation::unhex(input.trim()).map_err(|e| format!("bad hex input: {e}"))?;
            let mut decoder = Decoder::new(&bytes);
            let mut out = Vec::new();
            while !decoder.is_at_end() {
                let value = decoder.read_value().map_err(|e| e.to_string())?;
                out.push(notation::to_json(&value).to_string());
            }
            if out.is_empty() {
                return Err("no input: expected hex bytes on stdin".into());
            }
            Ok(out.join("\n"))
        }
        "encode" => {
            let json: serde_json::Value =
                serde_json::from_str(input).map_err(|e| format!("bad JSON input: {e}"))?;
            let value = notation::from_json(&json).map_err(|e| e.to_string())?;
            Ok(notation::hex(&value_to_bytes(&value)))
        }
        other => Err(format!("unknown mode `{other}`")),
    }
}

fn main() -> ExitCode {
    let mode = std::env::args().nth(1).unwrap_or_default();
    if mode != "decode" && mode != "encode" {
        eprintln!("usage: hessian decode|encode  (reads stdin)");
        return ExitCode::from(2);
    }
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("error: cannot read stdin: {e}");
        return ExitCode::FAILURE;
    }
    match run(&mode, &input) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
