#!/usr/bin/env bash
# Runs the greeter example pair end to end on this machine, with no external servers:
# builds the binaries, starts greeter-provider on ports the OS picks (dubbo:// and tri://), runs
# greeter-consumer against both (every method, typed and generically; over tri:// also the IDL
# greeter, one method of each gRPC shape), makes two calls with the `dubbo` CLI and three JSON calls
# with curl, then stops the provider gracefully (SIGTERM: readonly event,
# in-flight calls finish). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q -p dubbo-examples --bins
cargo build -q -p dubbo --features cli --bin dubbo
bin="${CARGO_TARGET_DIR:-target}/debug"

log="$(mktemp)"
"$bin/greeter-provider" --host 127.0.0.1 --dubbo-port 0 --tri-port 0 >"$log" 2>&1 &
provider=$!
trap 'kill "$provider" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
tri=""
for _ in $(seq 1 100); do
  url="$(grep -o 'dubbo://[0-9.:]*' "$log" || true)"
  tri="$(grep -o 'tri://[0-9.:]*' "$log" || true)"
  [ -n "$url" ] && [ -n "$tri" ] && break
  kill -0 "$provider" 2>/dev/null || { cat "$log"; echo "greeter-provider exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] && [ -n "$tri" ] || { cat "$log"; echo "greeter-provider did not print READY" >&2; exit 1; }
grep READY "$log" | sed 's/^/provider: /'


echo "--- greeter-consumer --url $url --expect-server rust"
"$bin/greeter-consumer" --url "$url" --expect-server rust

echo "--- greeter-consumer --url $tri --expect-server rust"
"$bin/greeter-consumer" --url "$tri" --expect-server rust

service="$url/org.apache.dubbo.samples.api.GreetingsService"
echo "--- dubbo call $service sayHi --types java.lang.String --args '[\"curl\"]'"
"$bin/dubbo" call "$service" sayHi --types java.lang.String --args '["curl"]'
echo "--- dubbo call $service fail --types java.lang.String --args '[\"x\"]'  (an exception: exit 1)"
if "$bin/dubbo" call "$service" fail --types java.lang.String --args '["x"]'; then
  echo "expected the call to fail" >&2
  exit 1
fi

# The JSON mode of the tri:// port, as curl users call it (HTTP/1.1; interface and IDL methods).
http="http://${tri#tri://}"
for call in \
  "org.apache.dubbo.samples.api.GreetingsService/sayHi [\"curl\"]" \
  "org.apache.dubbo.samples.api.GreetingsService/add [2,40]" \
  "org.apache.dubbo.samples.greeter.Greeter/Greet {\"name\":\"curl\"}"; do
  path="${call%% *}"
  body="${call#* }"
  echo "--- curl -d '$body' $http/$path"
  curl -sS --fail-with-body --max-time 10 -H 'content-type: application/json' -d "$body" "$http/$path"
  echo
done

kill -TERM "$provider"
wait "$provider"
echo "--- provider stopped gracefully"
