#!/usr/bin/env bash
# Installs the third-party Dubbo2 peers used by the interop drivers in this folder.
# Idempotent: re-running only installs what is missing.
#   npm: apache-dubbo-consumer@4.0.0 + apache-dubbo-service@0.0.1 -> <repo>/.peers/node-dubbo
#   pip: dubbo-ssl-python==0.9.6 (module dubbo_ssl), only if `import dubbo_ssl` fails
# Env: PYTHON (default python3), PEERS_NODE_DIR (default <repo>/.peers/node-dubbo)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../../.." && pwd)"
NODE_DIR="${PEERS_NODE_DIR:-$REPO_ROOT/.peers/node-dubbo}"
PYTHON="${PYTHON:-python3}"
NPM_PKGS=(apache-dubbo-consumer@4.0.0 apache-dubbo-service@0.0.1)
PIP_PKG="dubbo-ssl-python==0.9.6"

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
echo "[peers] done"
