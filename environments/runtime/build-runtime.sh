#!/usr/bin/env bash
# Builds the Java 25 runtime that the container and the VM both run: a jlink'd image of the local JDK with just
# the modules the gallery server needs. Prints the runtime's folder. Cached by a hash of the JDK and the module
# list, so a second run costs nothing.
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"

JAVA_HOME=$(gb_java_home)
MODULES=java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.management,jdk.unsupported,jdk.crypto.ec
key=$( { "$JAVA_HOME/bin/java" -version 2>&1; echo "$MODULES"; cat "$0"; } | sha256sum | cut -c1-16)
out="$GB_CACHE/runtime-$key"
if [ ! -x "$out/bin/java" ]; then
    # Made once, whoever asks: a second caller waits for the first's jlink, then finds the runtime there.
    mkdir -p "$GB_CACHE"
    exec 9>"$out.lock"
    flock 9
fi
if [ ! -x "$out/bin/java" ]; then
    gb_step "jlink: building a Java 25 runtime ($MODULES)"
    rm -rf "$out.tmp"
    "$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
        --compress=zip-6 --output "$out.tmp" >&2
    mv "$out.tmp" "$out"
fi
echo "$out"
