#!/usr/bin/env bash
# Builds the `unified` image from docker/Dockerfile with buildah (no Docker engine runs here)
# and runs the test suite inside it. No registry serves base images here, so the first run
# makes debian:bookworm itself with debootstrap from the Debian mirror apt uses.
#   docker/build.sh           build the image, then run ./setup.sh test in it
#   docker/build.sh --no-test build the image only
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=docker.io/library/debian:bookworm
IMAGE=unified
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

log() { printf '[docker] %s\n' "$*"; }

# buildah builds and runs, podman imports the base, debootstrap makes it.
missing=()
for tool in buildah podman debootstrap; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The mirror apt uses on this machine: the first non-security URI of the deb822 sources,
# else the first `deb` line of sources.list.
debian_mirror() {
  local uri=""
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}') || true
  if [ -z "$uri" ]; then
    uri=$(cat /etc/apt/sources.list 2>/dev/null \
          | awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}') || true
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

if ! $SUDO podman image exists "$BASE"; then
  mirror=$(debian_mirror)
  root=$(mktemp -d /var/tmp/unified-base.XXXXXX)
  trap '$SUDO rm -rf "$root"' EXIT
  log "making the base image $BASE with debootstrap from $mirror"
  $SUDO debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
  $SUDO tar -C "$root" -c . | $SUDO podman import -q - debian:bookworm >/dev/null
  $SUDO podman tag localhost/debian:bookworm "$BASE"
  $SUDO rm -rf "$root"
  trap - EXIT
fi

[ "${UNIFIED_BASE_ONLY:-}" = 1 ] && exit 0

# Site CAs (a TLS-inspecting proxy, as on this machine) are lent to the RUN steps, where
# installing ca-certificates folds them into the image's CA bundle that setup.sh hands to pip.
volumes=()
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  volumes=(--volume /usr/local/share/ca-certificates:/usr/local/share/ca-certificates:ro)
fi

log "building image '$IMAGE' from docker/Dockerfile"
previous=$($SUDO buildah images -q "$IMAGE" 2>/dev/null || true)
$SUDO buildah bud --pull=never --isolation chroot --ulimit nofile=20000:20000 "${volumes[@]}" \
  -f docker/Dockerfile -t "$IMAGE" .
# The image it replaces is 2.5 GB of nothing once untagged.
current=$($SUDO buildah images -q "$IMAGE")
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then
  $SUDO buildah rmi "$previous" >/dev/null 2>&1 || true
fi

[ "${1:-}" = "--no-test" ] && exit 0

log "running ./setup.sh test inside '$IMAGE'"
ctr=$($SUDO buildah from "$IMAGE")
trap '$SUDO buildah rm "$ctr" >/dev/null' EXIT
$SUDO buildah run --isolation chroot "$ctr" -- ./setup.sh test
