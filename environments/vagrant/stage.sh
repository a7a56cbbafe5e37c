#!/usr/bin/env bash
# Gathers what provisioning installs into environments/vagrant/.stage/: the jlink'd Java 25 runtime (the one the
# container uses), the built server, its unit and launcher. Then `vagrant up` in this folder provisions it.
# The dashboard's deploy does the same over SSH, file by file, skipping what has not changed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/common.sh"

server="$GB_ROOT/gallery-server/target"
[ -s "$server/gallery-server.jar" ] || gb_die "the server is not built: mvn -pl gallery-server -am package -DskipTests"
runtime=$("$GB_ROOT/environments/runtime/build-runtime.sh")
stage="$here/.stage"
rm -rf "$stage"
mkdir -p "$stage/app/libs"
cp -a "$runtime" "$stage/runtime"
cp "$server/gallery-server.jar" "$server/jvm.options" "$stage/app/"
# Only the libraries the jar's manifest names (target/libs may hold stale ones).
classpath=$(unzip -p "$server/gallery-server.jar" META-INF/MANIFEST.MF | tr -d '\r' \
    | awk '/^Class-Path:/ {on=1; sub(/^Class-Path: /, ""); printf "%s", $0; next} on && /^ / {sub(/^ /, ""); printf "%s", $0; next} {on=0}')
for lib in $classpath; do
    cp "$server/$lib" "$stage/app/libs/"
done
( cd "$stage/app" && find . -type f | sort | xargs sha256sum | sha256sum | cut -d' ' -f1 ) > "$stage/app/build"
cp "$here/gallery.service" "$here/gallery-server.sh" "$stage/"
echo "$stage"
