#!/usr/bin/env bash
# The project's whole test suite, as CI runs it (`bash .ci/run` calls this script).
#
# 1. Installs, idempotently, what the tests need that is not a Rust crate: the live Hessian peers
#    the interop tests talk to (one `install_*` function per peer; add new peers the same way and
#    list them in `install_peers`).
# 2. Runs, in order: rustfmt check, clippy (warnings are errors), every test with cargo-nextest,
#    and the doc tests (nextest does not run those).
#
# Usage: bash scripts/test.sh            # install peers if missing, then everything
#        bash scripts/test.sh --install  # only install the peers
# Runs as root (CI) or with sudo available. Environment: CARGO_TARGET_DIR etc. are honoured.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Where npm peers are installed (gitignored). dubbo-codec/tests/hessianjs_interop.rs looks for
# .peers/node/node_modules/hessian.js.
PEERS_DIR="$ROOT/.peers"
HESSIAN_JS_VERSION="2.11.0"

export DEBIAN_FRONTEND=noninteractive
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

log() { printf '==> %s\n' "$*" >&2; }

# `sudo` only when we are not root already.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_update_once() {
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        as_root apt-get update -qq
        APT_UPDATED=1
    fi
}

# Installs Debian packages. `apt-get update` runs only when the package lists do not know a package
# yet, or when a first install attempt fails (stale lists), and at most once.
apt_install() {
    local pkg
    for pkg in "$@"; do
        if ! apt-cache show "$pkg" >/dev/null 2>&1; then
            apt_update_once
            break
        fi
    done
    if ! as_root apt-get install -y -qq --no-install-recommends "$@"; then
        if [ "$APT_UPDATED" -eq 1 ]; then
            return 1
        fi
        apt_update_once
        as_root apt-get install -y -qq --no-install-recommends "$@"
    fi
}

deb_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# --- peers -------------------------------------------------------------------------------------

# A JDK (java + javac) for the Java peers. Already on the machine normally; installed if not.
install_jdk() {
    if command -v java >/dev/null && command -v javac >/dev/null; then
        return
    fi
    log "installing a JDK (openjdk-17-jdk-headless)"
    apt_install openjdk-17-jdk-headless
}

# Caucho Hessian (Debian's libhessian-java, /usr/share/java/hessian*.jar): caucho_interop.rs.
install_caucho() {
    if deb_installed libhessian-java && compgen -G '/usr/share/java/hessian*.jar' >/dev/null; then
        return
    fi
    log "installing libhessian-java (Caucho Hessian)"
    apt_install libhessian-java
}

# hessian.js from npm into .peers/node (pinned: the test pins its behaviour): hessianjs_interop.rs.
install_hessianjs() {
    local pkg="$PEERS_DIR/node/node_modules/hessian.js/package.json"
    if [ -f "$pkg" ] && grep -q "\"version\": \"$HESSIAN_JS_VERSION\"" "$pkg"; then
        return
    fi
    if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
        log "installing nodejs + npm"
        apt_install nodejs npm
    fi
    log "installing hessian.js@$HESSIAN_JS_VERSION into .peers/node"
    mkdir -p "$PEERS_DIR/node"
    npm install --prefix "$PEERS_DIR/node" --no-audit --no-fund --no-save --loglevel=error \
        "hessian.js@$HESSIAN_JS_VERSION"
}

# Later peers: add an install_<peer> function above and call it here.
# Third-party Dubbo2 peers (npm apache-dubbo-consumer/-service, PyPI dubbo-ssl-python) for
# examples/tests/{node_consumer,node_provider,python_consumer}.rs, and the Triple / gRPC peers
# (PyPI grpcio, grpcio-tools, grpcio-status, googleapis-common-protos, apache-dubbo; Debian
# libgrpc-java, libprotobuf-java, protobuf-compiler, libnetty-java, libperfmark-java) for
# examples/tests/triple_{grpcio,grpc_java,dubbo_python}.rs. Versions are pinned in install.sh.
install_dubbo_peers() {
    if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
        log "installing nodejs + npm"
        apt_install nodejs npm
    fi
    if ! command -v python3 >/dev/null || ! python3 -m pip --version >/dev/null 2>&1; then
        log "installing python3 + pip"
        apt_install python3 python3-pip
    fi
    # Debian's python3 refuses pip installs into the system environment (PEP 668) otherwise.
    PIP_BREAK_SYSTEM_PACKAGES=1 bash "$ROOT/dubbo/tests/peers/install.sh"
}

# curl, the HTTP client of the Triple JSON-mode tests (examples/tests/triple_http_json.rs).
install_curl() {
    if command -v curl >/dev/null; then
        return
    fi
    log "installing curl"
    apt_install curl
}

install_peers() {
    install_jdk
    install_curl
    install_caucho
    install_hessianjs
    install_dubbo_peers
}

# --- checks ------------------------------------------------------------------------------------

FAILED_STEPS=()

# Runs one check; a failure is recorded and the remaining checks still run, so that one CI log shows
# every problem. The script exits non-zero at the end if any step failed.
step() {
    local name="$1"
    shift
    log "$name"
    if "$@"; then
        log "$name: ok"
    else
        local rc=$?
        log "$name: FAILED (exit $rc)"
        FAILED_STEPS+=("$name")
    fi
}

run_checks() {
    step "cargo fmt --all --check" \
        cargo fmt --all --check
    step "cargo clippy --workspace --all-targets --all-features -- -D warnings" \
        cargo clippy --workspace --all-targets --all-features -- -D warnings
    # nextest prints its own 'Summary [...] N tests run: N passed, N failed' line and exits non-zero
    # when a test fails or a test binary does not build.
    step "cargo nextest run --workspace --all-features" \
        cargo nextest run --workspace --all-features --no-fail-fast
    # nextest does not run doc tests.
    step "cargo test --workspace --doc --all-features" \
        cargo test --workspace --doc --all-features
}

main() {
    install_peers
    if [ "${1:-}" = "--install" ]; then
        log "peers installed"
        return 0
    fi
    run_checks
    if [ "${#FAILED_STEPS[@]}" -ne 0 ]; then
        log "FAILED: ${FAILED_STEPS[*]}"
        exit 1
    fi
    log "all checks passed"
}

main "$@"
