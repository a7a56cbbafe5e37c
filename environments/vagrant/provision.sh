#!/usr/bin/env bash
# Installs the gallery server in the guest, as root. Used by `vagrant up` (shell provisioner) and by the
# dashboard's deploy over SSH, so both end in the same state. Idempotent: what is unchanged is left alone.
#
#   provision.sh STAGE [--no-start]
#
# STAGE holds: runtime/ (the jlink'd Java 25 runtime the container uses), app/ (gallery-server.jar, libs/,
# jvm.options, build: the build's digest), gallery.service and gallery-server.sh.
set -euo pipefail
stage=${1:?usage: provision.sh STAGE [--no-start]}
start=true
[ "${2:-}" = "--no-start" ] && start=false
deploy_user=${SUDO_USER:-vagrant}
id "$deploy_user" >/dev/null 2>&1 || deploy_user=root

# The Java runtime, replaced only when it differs.
if [ -d "$stage/runtime" ]; then
    if ! cmp -s "$stage/runtime/release" /opt/java/openjdk/release 2>/dev/null \
        || ! cmp -s "$stage/runtime/lib/modules" /opt/java/openjdk/lib/modules; then
        rm -rf /opt/java/openjdk.new
        mkdir -p /opt/java
        cp -a "$stage/runtime" /opt/java/openjdk.new
        chown -R root:root /opt/java/openjdk.new
        rm -rf /opt/java/openjdk
        mv /opt/java/openjdk.new /opt/java/openjdk
    fi
fi
[ -x /opt/java/openjdk/bin/java ] || { echo "provision.sh: no Java runtime at /opt/java/openjdk and none in $stage/runtime" >&2; exit 2; }

getent group gallery >/dev/null || groupadd --system gallery
getent passwd gallery >/dev/null || useradd --system --gid gallery --home-dir /var/lib/gallery --shell /usr/sbin/nologin gallery
install -d -o gallery -g gallery -m 755 /var/lib/gallery /var/lib/gallery/uploads /opt/gallery/aot
install -d -o root -g root -m 755 /opt/gallery /opt/gallery/bin
install -d -o "$deploy_user" -g "$(id -gn "$deploy_user")" -m 755 /opt/gallery/app

if [ -d "$stage/app" ]; then
    # A new build makes the old AOT cache stale: drop it before the new classes land.
    if ! cmp -s "$stage/app/build" /opt/gallery/app/build 2>/dev/null; then
        rm -f /opt/gallery/aot/app.aot /opt/gallery/aot/build
        rm -rf /opt/gallery/app/libs
        cp -a "$stage/app/." /opt/gallery/app/
        chown -R "$deploy_user" /opt/gallery/app
    fi
fi
install -m 755 "$stage/gallery-server.sh" /opt/gallery/bin/gallery-server
if ! cmp -s "$stage/gallery.service" /etc/systemd/system/gallery.service; then
    install -m 644 "$stage/gallery.service" /etc/systemd/system/gallery.service
    systemctl daemon-reload
fi
systemctl enable gallery.service >/dev/null 2>&1

# The AOT cache for this build on this runtime, trained in the guest (it must match the runtime and paths).
if [ -s /opt/gallery/app/build ] && ! cmp -s /opt/gallery/app/build /opt/gallery/aot/build 2>/dev/null; then
    rm -f /opt/gallery/aot/app.aot.tmp
    if (cd /var/lib/gallery && runuser -u gallery -- /opt/java/openjdk/bin/java @/opt/gallery/app/jvm.options \
            -XX:AOTCacheOutput=/opt/gallery/aot/app.aot.tmp -jar /opt/gallery/app/gallery-server.jar --aot-training \
            > /opt/gallery/aot/training.log 2>&1); then
        mv /opt/gallery/aot/app.aot.tmp /opt/gallery/aot/app.aot
        cp /opt/gallery/app/build /opt/gallery/aot/build
        chown gallery:gallery /opt/gallery/aot/*
    else
        echo "provision.sh: AOT training failed; the server starts without a cache (see /opt/gallery/aot/training.log)" >&2
    fi
fi

if $start; then
    systemctl restart gallery.service
fi
echo "provision.sh: gallery installed (build $(cat /opt/gallery/app/build 2>/dev/null || echo none))"
