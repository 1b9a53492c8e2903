#!/usr/bin/env bash
# Makes the two base images the Containerfile needs, on a machine that cannot pull images from a
# registry (only Debian's package mirror is reachable):
#   localhost/debian:12                  a minimal Debian 12 (bookworm) made with debootstrap
#   localhost/swift-build:bookworm       that, plus the Swift toolchain's own needs (apt), a copy of the
#                                        host's toolchain (/opt/swift) and of the Swift packages mirror
#                                        (/opt/swift-packages), with git's url.insteadOf rules that point
#                                        github.com at the mirror, so `swift build` resolves offline
# Images already there are kept (--force remakes them). Needs root, debootstrap and podman;
# podman here only builds with `--isolation chroot`.
# Usage: scripts/container-base.sh [--force]
set -euo pipefail

BASE_IMAGE=${CUTROOM_BASE_IMAGE:-localhost/debian:12}
BUILD_BASE_IMAGE=${CUTROOM_BUILD_BASE_IMAGE:-localhost/swift-build:bookworm}
SWIFT_DIR=${SWIFT_DIR:-/opt/swift}
SWIFT_PACKAGES_DIR=${SWIFT_PACKAGES_DIR:-/opt/swift-packages}
WORK=${CUTROOM_CONTAINER_WORK:-/var/tmp/cutroom-container}
force=0
[[ "${1:-}" == "--force" ]] && force=1

need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v podman >/dev/null || need+=(podman buildah)
if ((${#need[@]})); then
  apt-get update -qq -o DPkg::Lock::Timeout=600
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
fi

# The machine's configured Debian mirror (deb822 .sources or one-line sources.list), not a guess.
mirror_for() { # $1: suite
  local uri
  uri=$(awk -v suite="$1" '
    /^URIs:/ { uris = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) found = uris }
    /^$/ { uris = "" } END { if (found) print found }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
  [[ -n "$uri" ]] || uri=$(awk -v suite="$1" '$1 == "deb" && $3 == suite { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
  echo "$uri"
}
MIRROR=${DEBIAN_MIRROR:-$(mirror_for bookworm)}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-$(mirror_for bookworm-security)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}

exists() { podman image exists "$1"; }

if ((force)) || ! exists "$BASE_IMAGE"; then
  echo "container-base: debootstrap bookworm from $MIRROR" >&2
  rootfs="$WORK/rootfs"
  rm -rf "$rootfs"
  mkdir -p "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
  # What debian:12-slim has: bookworm, its updates and security, in deb822 form; no apt lists,
  # no caches, no docs or man pages (dpkg is told to keep leaving them out).
  rm -f "$rootfs/etc/apt/sources.list"
  cat > "$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat > "$rootfs/etc/dpkg/dpkg.cfg.d/docker-excludes" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
  cat > "$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
APT::Install-Recommends "false";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
EOF
  find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright -delete 2>/dev/null || true
  rm -rf "$rootfs"/usr/share/{man,info,locale}/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
    "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/* "$rootfs"/debootstrap
  : > "$rootfs/etc/hostname"
  : > "$rootfs/etc/resolv.conf"
  podman rmi -f "$BASE_IMAGE" >/dev/null 2>&1 || true
  tar --numeric-owner -C "$rootfs" -c . | podman import --quiet --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  echo "container-base: made $BASE_IMAGE" >&2
fi

if ((force)) || ! exists "$BUILD_BASE_IMAGE"; then
  [[ -x "$SWIFT_DIR/usr/bin/swift" ]] || { echo "no Swift toolchain at $SWIFT_DIR" >&2; exit 1; }
  echo "container-base: $BUILD_BASE_IMAGE from $BASE_IMAGE + $SWIFT_DIR + $SWIFT_PACKAGES_DIR" >&2
  # The context is a folder of bind mounts, so nothing else of the host is sent.
  ctx="$WORK/build-base"
  umount "$ctx/swift" "$ctx/swift-packages" 2>/dev/null || true
  rm -rf "$ctx"
  mkdir -p "$ctx/swift" "$ctx/swift-packages"
  mount --bind "$SWIFT_DIR" "$ctx/swift"
  [[ -d "$SWIFT_PACKAGES_DIR" ]] && mount --bind "$SWIFT_PACKAGES_DIR" "$ctx/swift-packages"
  trap 'umount "$ctx/swift" "$ctx/swift-packages" 2>/dev/null || true' EXIT
  cat > "$ctx/Containerfile" <<EOF
FROM $BASE_IMAGE
# What the toolchain itself runs with (the official swift:*-bookworm images install the same).
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \\
      binutils gcc libc6-dev libstdc++-12-dev libgcc-12-dev libcurl4 libxml2 libedit2 libncurses6 \\
      libpython3.11 libsqlite3-0 zlib1g-dev uuid-dev tzdata git ca-certificates pkg-config >/dev/null \\
 && rm -rf /var/lib/apt/lists/*
COPY swift /opt/swift
COPY swift-packages /opt/swift-packages
# github.com → the packages mirror, as on the host (git's system config, so every user has it).
RUN git config --system url./opt/swift-packages/.insteadOf https://github.com/ \\
 && git config --system --add url./opt/swift-packages/.insteadOf git@github.com: \\
 && git config --system --add url./opt/swift-packages/.insteadOf ssh://git@github.com/ \\
 && git config --system --add safe.directory '*'
ENV PATH=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EOF
  nice -n 19 podman build --isolation chroot --layers=false -t "$BUILD_BASE_IMAGE" -f "$ctx/Containerfile" "$ctx" \
    > "$WORK/build-base.log" 2>&1 || { tail -30 "$WORK/build-base.log" >&2; exit 1; }
  echo "container-base: made $BUILD_BASE_IMAGE" >&2
fi
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^(${BASE_IMAGE}|${BUILD_BASE_IMAGE}) " >&2 || true
