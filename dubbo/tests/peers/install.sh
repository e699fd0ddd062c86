#!/usr/bin/env bash
# Installs the third-party peers used by the interop drivers in this folder.
# Idempotent: re-running only installs what is missing.
# Dubbo2 (dubbo://):
#   npm: apache-dubbo-consumer@4.0.0 + apache-dubbo-service@0.0.1 -> <repo>/.peers/node-dubbo
#   pip: dubbo-ssl-python==0.9.6 (module dubbo_ssl), only if `import dubbo_ssl` fails
# Triple / gRPC (tri://, IDL mode; drivers grpc_python/, dubbo_python/, grpc_java/):
#   pip: grpcio, grpcio-tools, grpcio-status, googleapis-common-protos, protobuf, apache-dubbo, h2
#        at the versions of TRIPLE_PIP_PKGS, only those whose installed version differs
#   apt: libgrpc-java libprotobuf-java protobuf-compiler libnetty-java libperfmark-java
#        libguava-java (+ openjdk-17-jdk-headless when javac is missing), only missing ones,
#        as root or through sudo; `apt-get update` only when a package is unknown or a first
#        install fails
# Env: PYTHON (default python3), PEERS_NODE_DIR (default <repo>/.peers/node-dubbo)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../../.." && pwd)"
NODE_DIR="${PEERS_NODE_DIR:-$REPO_ROOT/.peers/node-dubbo}"
PYTHON="${PYTHON:-python3}"
NPM_PKGS=(apache-dubbo-consumer@4.0.0 apache-dubbo-service@0.0.1)
PIP_PKG="dubbo-ssl-python==0.9.6"
TRIPLE_PIP_PKGS=(grpcio==1.85.1 grpcio-tools==1.85.1 grpcio-status==1.85.1
                 googleapis-common-protos==1.76.0 protobuf==7.36.2 apache-dubbo==3.0.0b1 h2==4.4.1)
TRIPLE_DEBS=(libgrpc-java libprotobuf-java protobuf-compiler libnetty-java libperfmark-java
             libguava-java)

echo "[peers] repo root: $REPO_ROOT"

# --- node -------------------------------------------------------------------------
if ! command -v npm >/dev/null 2>&1; then
  echo "[peers] npm not found: skipping the Node peers" >&2
else
  mkdir -p "$NODE_DIR"
  if [ ! -f "$NODE_DIR/package.json" ]; then
    echo '{"name":"dubbo-interop-peers","private":true}' > "$NODE_DIR/package.json"
  fi
  if (cd "$NODE_DIR" && node -e "
      const want = {'apache-dubbo-consumer':'4.0.0','apache-dubbo-service':'0.0.1'};
      for (const [n, v] of Object.entries(want)) {
        const got = require('./node_modules/' + n + '/package.json').version;
        if (got !== v) process.exit(1);
      }" >/dev/null 2>&1); then
    echo "[peers] npm packages already present in $NODE_DIR"
  else
    echo "[peers] npm install ${NPM_PKGS[*]} into $NODE_DIR"
    # --ignore-scripts: the zookeeper dependency of apache-dubbo-registry has a native
    # build step that is not needed for direct connections
    (cd "$NODE_DIR" && npm install --no-audit --no-fund --ignore-scripts --save-exact "${NPM_PKGS[@]}")
  fi
fi

# --- python -----------------------------------------------------------------------
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "[peers] $PYTHON not found: skipping the Python peer" >&2
elif "$PYTHON" -c 'import dubbo_ssl.client, dubbo_ssl.codec.encoder' >/dev/null 2>&1; then
  echo "[peers] python module dubbo_ssl already importable ($("$PYTHON" -m pip show dubbo-ssl-python 2>/dev/null | awk '/^Version/{print $2}'))"
else
  echo "[peers] pip install $PIP_PKG"
  "$PYTHON" -m pip install --disable-pip-version-check -q "$PIP_PKG"
fi

# --- triple: python (grpcio, apache-dubbo) ----------------------------------------------
if command -v "$PYTHON" >/dev/null 2>&1; then
  # prints the pins whose installed version differs (or that are not installed)
  missing_pip="$("$PYTHON" - "${TRIPLE_PIP_PKGS[@]}" <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
for pin in sys.argv[1:]:
    name, want = pin.split('==')
    try:
        if version(name) != want:
            print(pin)
    except PackageNotFoundError:
        print(pin)
PY
)"
  if [ -z "$missing_pip" ]; then
    echo "[peers] triple python packages already at ${TRIPLE_PIP_PKGS[*]}"
  else
    echo "[peers] pip install" $missing_pip
    # shellcheck disable=SC2086 # one pin per word
    "$PYTHON" -m pip install --disable-pip-version-check -q $missing_pip
  fi
fi

# --- triple: grpc-java from Debian ------------------------------------------------------
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "[peers] no dpkg: skipping the grpc-java peer (needs Debian's ${TRIPLE_DEBS[*]})" >&2
else
  missing_deb=()
  for pkg in "${TRIPLE_DEBS[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$' \
      || missing_deb+=("$pkg")
  done
  if ! command -v javac >/dev/null 2>&1; then
    missing_deb+=(openjdk-17-jdk-headless)
  fi
  if [ "${#missing_deb[@]}" -eq 0 ]; then
    echo "[peers] debian packages already present: ${TRIPLE_DEBS[*]}"
  else
    echo "[peers] apt-get install ${missing_deb[*]}"
    export DEBIAN_FRONTEND=noninteractive
    updated=0
    for pkg in "${missing_deb[@]}"; do
      if ! apt-cache show "$pkg" >/dev/null 2>&1; then
        as_root apt-get update -qq
        updated=1
        break
      fi
    done
    if ! as_root apt-get install -y -qq --no-install-recommends "${missing_deb[@]}"; then
      [ "$updated" -eq 0 ] || exit 1
      as_root apt-get update -qq
      as_root apt-get install -y -qq --no-install-recommends "${missing_deb[@]}"
    fi
  fi
fi
# --- triple: the standard gRPC health and reflection clients (grpc_python/builtin_client.py) ---
# pip: grpcio-health-checking, grpcio-reflection at BUILTIN_PIP_PKGS (same release as grpcio),
#      only those whose installed version differs; --no-deps: grpcio and protobuf are pinned above
BUILTIN_PIP_PKGS=(grpcio-health-checking==1.85.1 grpcio-reflection==1.85.1)
if command -v "$PYTHON" >/dev/null 2>&1; then
  missing_builtin="$("$PYTHON" - "${BUILTIN_PIP_PKGS[@]}" <<'PY'
import sys
from importlib.metadata import version, PackageNotFoundError
for pin in sys.argv[1:]:
    name, want = pin.split('==')
    try:
        if version(name) != want:
            print(pin)
    except PackageNotFoundError:
        print(pin)
PY
)"
  if [ -z "$missing_builtin" ]; then
    echo "[peers] health/reflection python packages already at ${BUILTIN_PIP_PKGS[*]}"
  else
    echo "[peers] pip install" $missing_builtin
    # shellcheck disable=SC2086 # one pin per word
    "$PYTHON" -m pip install --disable-pip-version-check -q --no-deps $missing_builtin
  fi
fi
echo "[peers] done"
