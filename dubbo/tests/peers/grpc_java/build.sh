#!/usr/bin/env bash
# Builds the grpc-java Greeter peers (GreeterServer, GreeterClient) against Debian's jars:
#   protoc --java_out for examples/proto/greeter.proto and rpc_status.proto, then javac.
# The output goes to <out>/<hash>/ (hash of the sources, the protos and this script), where
#   <out> = $PEERS_GRPC_JAVA_DIR, else <repo>/.peers/grpc-java (gitignored);
# a build is written to a temporary directory and renamed into place, so concurrent callers never
# see half a build and a finished build is reused. Prints that directory on stdout; its file
# `classpath` holds the full run-time class path:
#   dir=$(bash build.sh) && java -cp "$(cat "$dir/classpath")" GreeterServer 0
# Exit 3 when a tool or jar is missing (install: bash scripts/test.sh --install).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../../../.." && pwd)"
PROTO="$REPO_ROOT/examples/proto/greeter.proto"
OUT="${PEERS_GRPC_JAVA_DIR:-$REPO_ROOT/.peers/grpc-java}"
JARDIR="${PEERS_JAVA_JARS:-/usr/share/java}"
# Debian packages: libgrpc-java, libprotobuf-java, libguava-java, libperfmark-java, libnetty-java
JARS=(grpc-api grpc-context grpc-core grpc-netty grpc-protobuf grpc-protobuf-lite grpc-stub
      protobuf guava perfmark-api netty-buffer netty-codec netty-codec-http netty-codec-http2
      netty-common netty-handler netty-resolver netty-transport)

missing=()
for tool in protoc javac java; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
CP=""
for jar in "${JARS[@]}"; do
    if [ -f "$JARDIR/$jar.jar" ]; then
        CP="${CP:+$CP:}$JARDIR/$jar.jar"
    else
        missing+=("$JARDIR/$jar.jar")
    fi
done
if [ "${#missing[@]}" -ne 0 ]; then
    echo "grpc-java peer: missing ${missing[*]} (install: bash scripts/test.sh --install)" >&2
    exit 3
fi

HASH="$(cat "$PROTO" "$HERE"/rpc_status.proto "$HERE"/*.java "$HERE/build.sh" \
        <(printf '%s\n' "$CP") | sha256sum | cut -c1-16)"
DEST="$OUT/$HASH"
# A finished build is reused only when its class path names this very directory (a copied or
# moved checkout carries builds whose class path points elsewhere).
built() { [ "$(cat "$DEST/classpath" 2>/dev/null)" = "$DEST/classes:$CP" ]; }
if built; then
    echo "$DEST"
    exit 0
fi

mkdir -p "$OUT"
# one build at a time (test processes start together); the others then find it done
if command -v flock >/dev/null 2>&1; then
    exec 9>"$OUT/.lock"
    flock -w 300 9 || true
    if built; then
        echo "$DEST"
        exit 0
    fi
fi
# a stale build (class path naming another directory) is replaced
rm -rf "$DEST"
TMP="$(mktemp -d "$OUT/build-XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/gen" "$TMP/classes" "$TMP/proto"
cp "$PROTO" "$HERE/rpc_status.proto" "$TMP/proto/"
protoc -I"$TMP/proto" --java_out="$TMP/gen" "$TMP/proto/greeter.proto" "$TMP/proto/rpc_status.proto"
# -nowarn / -Xlint:none: the protoc 3.21 output uses APIs javac 17 reports as deprecated
javac -nowarn -Xlint:none -encoding UTF-8 -d "$TMP/classes" -cp "$CP" \
    $(find "$TMP/gen" -name '*.java') "$HERE"/*.java >&2
printf '%s\n' "$DEST/classes:$CP" > "$TMP/classpath"
# the class path names the final directory; rename into place (another builder may have won)
if ! mv -T "$TMP" "$DEST" 2>/dev/null; then
    built || { echo "grpc-java peer: cannot create $DEST" >&2; exit 1; }
fi
trap - EXIT
rm -rf "$TMP" 2>/dev/null || true
echo "$DEST"
