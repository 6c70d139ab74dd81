#!/usr/bin/env bash
# Builds the offline Python base images with debootstrap + docker import (no registry is
# reachable). Each image is tagged with a hash of its recipe and skipped when present.
set -euo pipefail

DOCKER=${DOCKER:-docker}
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-$(awk '/^deb |^URIs:/{for(i=1;i<=NF;i++) if ($i ~ /^https?:\/\//) {print $i; exit}}' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | head -n1 || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
CACHE=${STUDIO_IMAGE_CACHE:-/var/cache/endpoint-studio/rootfs}

build_image() {
    local repo=$1 tag=$2 packages=$3
    local recipe="suite=$SUITE variant=minbase packages=$packages version=2"
    local hash
    hash=$(printf '%s' "$recipe" | sha256sum | cut -c1-12)
    if "$DOCKER" image inspect "$repo:$tag-$hash" >/dev/null 2>&1; then
        "$DOCKER" tag "$repo:$tag-$hash" "$repo:$tag"
        echo "base image $repo:$tag ($hash) present, skipped"
        return
    fi
    local start=$SECONDS
    local root="$CACHE/${repo//\//-}-$hash"
    rm -rf "$root" && mkdir -p "$root"
    echo "building $repo:$tag ($hash) with debootstrap from $MIRROR ..."
    debootstrap --variant=minbase --include="$packages" "$SUITE" "$root" "$MIRROR" >"$root.log" 2>&1 ||
        { tail -n 30 "$root.log"; echo "debootstrap failed for $repo:$tag (log: $root.log)" >&2; exit 1; }
    # Trim what a runtime image never needs.
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
        "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/*
    tar -C "$root" -c . | "$DOCKER" import \
        -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        -c 'ENV LANG=C.UTF-8' -c 'ENV PYTHONUNBUFFERED=1' \
        -c 'CMD ["python3"]' - "$repo:$tag-$hash" >/dev/null
    "$DOCKER" tag "$repo:$tag-$hash" "$repo:$tag"
    rm -rf "$root"
    echo "built $repo:$tag ($hash) in $((SECONDS - start)) s"
}

mkdir -p "$CACHE"
build_image endpoint-studio/python 3.11-bookworm "python3"
if [ "${1:-}" != "--minimal" ]; then
    build_image endpoint-studio/python-sklearn 3.11-bookworm "python3,python3-numpy,python3-sklearn,python3-joblib"
fi
