#!/usr/bin/env bash
# Builds the offline base image gallerybench/java25-base with no registry at all:
#   1. a Debian rootfs from debootstrap (minbase), trimmed of docs, locales and apt caches;
#   2. the jlink'd Java 25 runtime from environments/runtime/build-runtime.sh, at /opt/java/openjdk
#      (where the public eclipse-temurin images keep theirs, so one Dockerfile serves both);
#   3. `docker import` of the two, tagged gallerybench/java25-base:<hash> and :local.
# The image is cached by a hash of its inputs: a second run only checks that it exists.
#
# Usage: build-base-image.sh [--force]      Env: DEBIAN_MIRROR (default: the host's apt mirror), DEBIAN_SUITE
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"

force=${1:-}
command -v docker >/dev/null || gb_die "docker is not installed. On Debian: apt-get install docker.io"
docker info >/dev/null 2>&1 || gb_die "the Docker engine is not reachable: is dockerd running? (start it with: dockerd &)"

suite=${DEBIAN_SUITE:-bookworm}
mirror=$(gb_debian_mirror)
runtime=$("$GB_ROOT/environments/runtime/build-runtime.sh")
key=$( { cat "$0"; echo "$suite"; basename "$runtime"; } | sha256sum | cut -c1-12)
image="gallerybench/java25-base:$key"

if [ "$force" != "--force" ] && docker image inspect "$image" >/dev/null 2>&1; then
    docker tag "$image" gallerybench/java25-base:local
    echo "$image"
    exit 0
fi
# Built once, whoever asks: a second caller waits for the first's build, then finds the image.
mkdir -p "$GB_BUILD_CACHE"
exec 9>"$GB_BUILD_CACHE/base-image.lock"
flock 9
if [ "$force" != "--force" ] && docker image inspect "$image" >/dev/null 2>&1; then
    docker tag "$image" gallerybench/java25-base:local
    echo "$image"
    exit 0
fi

rootfs_tar="$GB_BUILD_CACHE/rootfs-$suite-minbase-$(echo "$mirror $0" | sha256sum | cut -c1-8).tar"
if [ ! -s "$rootfs_tar" ]; then
    command -v debootstrap >/dev/null || gb_die "debootstrap is not installed. On Debian: apt-get install debootstrap"
    [ "$(id -u)" = 0 ] || gb_die "debootstrap needs root"
    gb_step "debootstrap: a minimal Debian $suite rootfs from $mirror (about a minute)"
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    eat=$(command -v eatmydata || true)
    $eat debootstrap --variant=minbase "$suite" "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; gb_die "debootstrap failed (log above)"; }
    rm -rf "$work"/rootfs/usr/share/{doc,man,info,locale,lintian}/* "$work"/rootfs/var/lib/apt/lists/* \
        "$work"/rootfs/var/cache/apt/* "$work"/rootfs/var/cache/debconf/*-old "$work"/rootfs/var/log/*
    mkdir -p "$GB_BUILD_CACHE"
    tar -C "$work/rootfs" --numeric-owner -cf "$rootfs_tar.tmp" .
    mv "$rootfs_tar.tmp" "$rootfs_tar"
    rm -rf "$work"
    trap - EXIT
fi

gb_step "docker import: $image (Debian $suite + jlink'd Java 25)"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/opt/java"
cp -a "$runtime" "$stage/opt/java/openjdk"
# The rootfs, with the runtime appended as /opt/java/openjdk.
cp "$rootfs_tar" "$stage/image.tar"
tar -C "$stage" --numeric-owner --owner=0 --group=0 -rf "$stage/image.tar" ./opt/java
docker import \
    --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'LABEL org.gallerybench.managed=true org.gallerybench.role=base' \
    --change 'CMD ["java","-version"]' \
    "$stage/image.tar" "$image" >/dev/null
docker tag "$image" gallerybench/java25-base:local
echo "$image"
