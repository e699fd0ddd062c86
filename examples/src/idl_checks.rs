//! The consumer's checks of the IDL greeter over `tri://`: each RPC shape, metadata, rich errors,
//! deadlines and an unknown method — against any provider of the `.proto` (Rust, Java, grpcio...).

use std::time::Duration;

use dubbo::protocol::triple::{GrpcClient, GrpcCode, Request, Status};
use futures_util::stream;

use crate::checks::Check;
use crate::idl::{ECHO_KEY, ERROR_INFO_TYPE, GreetReply, GreetRequest, GreeterClient, error_info};

fn outcome(name: &'static str, got: String, expected: Option<String>) -> Check {
    Check {
        name,
        got,
        failure: expected.map(|e| format!("expected {e}")),
    }
}

fn failed(name: &'static str, status: Status) -> Check {
    Check {
        name,
        got: String::new(),
        failure: Some(format!("call failed: {status}")),
    }
}

fn request(name: &str, count: i32) -> GreetRequest {
    GreetRequest {
        name: name.to_owned(),
        count,
    }
}

fn replies_text(replies: &[GreetReply]) -> String {
    replies
        .iter()
        .map(|r| format!("{}@{}", r.message, r.index))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Runs every IDL check against the greeter at `url` (`tri://host:port`).
pub async fn run_idl(url: &str) -> Vec<Check> {
    let client = match GreeterClient::connect(url) {
        Ok(c) => c,
        Err(e) => return vec![failed("idl-connect", e)],
    };
    let mut out = Vec::new();

    out.push(match client.greet(request("world", 0)).await {
        Ok(r) => {
            let m = r.into_inner().message;
            let ok = m == "hello, world";
            outcome("idl-unary", m, (!ok).then(|| "\"hello, world\"".into()))
        }
        Err(e) => failed("idl-unary", e),
    });

    out.push(match client.greet_server_stream(request("s", 3)).await {
        Ok(r) => {
            let mut replies = Vec::new();
            let mut messages = r.into_inner();
            let end = loop {
                match messages.message().await {
                    Ok(Some(m)) => replies.push(m),
                    Ok(None) => break None,
                    Err(e) => break Some(e),
                }
            };
            let got = replies_text(&replies);
            let want = "hello, s #0@0; hello, s #1@1; hello, s #2@2";
            match end {
                Some(e) => failed("idl-server-stream", e),
                None => outcome(
                    "idl-server-stream",
                    got.clone(),
                    (got != want).then(|| want.into()),
                ),
            }
        }
        Err(e) => failed("idl-server-stream", e),
    });

    let names = stream::iter(["a", "b", "c"].map(|n| request(n, 0)));
    out.push(match client.greet_client_stream(names).await {
        Ok(r) => {
            let r = r.into_inner();
            let got = format!("{}@{}", r.message, r.index);
            let want = "hello, a,b,c@3";
            outcome(
                "idl-client-stream",
                got.clone(),
                (got != want).then(|| want.into()),
            )
        }
        Err(e) => failed("idl-client-stream", e),
    });

    let names = stream::iter(["x", "y"].map(|n| request(n, 0)));
    out.push(match client.greet_bidi_stream(names).await {
        Ok(r) => {
            let mut replies = Vec::new();
            let mut messages = r.into_inner();
            let mut end = None;
            loop {
                match messages.message().await {
                    Ok(Some(m)) => replies.push(m),
                    Ok(None) => break,
                    Err(e) => {
                        end = Some(e);
                        break;
                    }
                }
            }
            let got = replies_text(&replies);
            let want = "hello, x@0; hello, y@1";
            match end {
                Some(e) => failed("idl-bidi-stream", e),
                None => outcome(
                    "idl-bidi-stream",
                    got.clone(),
                    (got != want).then(|| want.into()),
                ),
            }
        }
        Err(e) => failed("idl-bidi-stream", e),
    });

    let mut echo = Request::new(request("meta", 0));
    echo.metadata_mut().insert(ECHO_KEY, "ping");
    out.push(match client.greet(echo).await {
        Ok(r) => {
            let got = r.metadata().get_text(ECHO_KEY).unwrap_or_default();
            outcome(
                "idl-metadata",
                got.clone(),
                (got != "ping").then(|| "x-echo: ping".into()),
            )
        }
        Err(e) => failed("idl-metadata", e),
    });

    out.push(match client.greet(request("error", 0)).await {
        Ok(r) => outcome(
            "idl-error-details",
            r.into_inner().message,
            Some("INVALID_ARGUMENT".into()),
        ),
        Err(e) => {
            let detail = e
                .details()
                .first()
                .map(|d| (d.type_url.clone(), d.value.clone()));
            let want_detail = (
                ERROR_INFO_TYPE.to_owned(),
                error_info("BAD_NAME", "greeter"),
            );
            let ok = e.code() == GrpcCode::InvalidArgument
                && e.message() == "bad name: error"
                && detail.as_ref() == Some(&want_detail);
            outcome(
                "idl-error-details",
                format!("{e} details={:?}", detail.map(|d| d.0)),
                (!ok).then(|| "INVALID_ARGUMENT \"bad name: error\" with an ErrorInfo".into()),
            )
        }
    });

    let mut slow = Request::new(request("sleep:2000", 0));
    slow.set_timeout(Duration::from_millis(300));
    let started = tokio::time::Instant::now();
    out.push(match client.greet(slow).await {
        Ok(_) => outcome(
            "idl-deadline",
            "answered".into(),
            Some("DEADLINE_EXCEEDED".into()),
        ),
        Err(e) => {
            let took = started.elapsed();
            let ok = e.code() == GrpcCode::DeadlineExceeded && took < Duration::from_millis(1500);
            outcome(
                "idl-deadline",
                format!("{e} after {} ms", took.as_millis()),
                (!ok).then(|| "DEADLINE_EXCEEDED within 1.5 s".into()),
            )
        }
    });

    let raw = GrpcClient::from_url(url, GreeterClient::SERVICE);
    out.push(match raw {
        Ok(raw) => match raw
            .unary::<GreetRequest, GreetReply>("Nope", Request::new(request("x", 0)))
            .await
        {
            Ok(_) => outcome(
                "idl-unimplemented",
                "answered".into(),
                Some("UNIMPLEMENTED".into()),
            ),
            Err(e) => {
                let ok = e.code() == GrpcCode::Unimplemented;
                outcome(
                    "idl-unimplemented",
                    e.to_string(),
                    (!ok).then(|| "UNIMPLEMENTED".into()),
                )
            }
        },
        Err(e) => failed("idl-unimplemented", e),
    });
    out
}
