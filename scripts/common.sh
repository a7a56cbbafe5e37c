# Shared by the project's shell scripts: source it, don't run it.
# Finds a JDK 25, the project root and the cache folder, and prints steps the same way everywhere.

GB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GB_CACHE=${GALLERYBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gallerybench}
# What is expensive to make and keyed by its inputs (the Vagrant box, the Debian rootfs of the base image): the cache
# unless said otherwise. ./run-tests keeps it in the user's cache while everything cheap starts from nothing.
GB_BUILD_CACHE=${GALLERYBENCH_BUILD_CACHE:-$GB_CACHE}

gb_step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
gb_die() { printf 'error: %s\n' "$*" >&2; exit 2; }

# JAVA_HOME must be a JDK 25: an explicit one if it is 25, else the Temurin 25 these machines carry.
gb_java_home() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64; do
        if [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] \
            && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "25'; then
            echo "$candidate"
            return 0
        fi
    done
    gb_die "no JDK 25 found. Install Temurin 25 (or any JDK 25) and set JAVA_HOME to it."
}

# The Debian mirror for debootstrap: $DEBIAN_MIRROR if set, else the first (non-security) mirror in this machine's
# own apt sources, one-line or deb822. No mirror's name is written into the project.
gb_debian_mirror() {
    if [ -n "${DEBIAN_MIRROR:-}" ]; then
        echo "$DEBIAN_MIRROR"
        return 0
    fi
    local found
    found=$(grep -hoE '^(URIs:|deb) +[a-z]+://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
        /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | awk '{print $2}' | head -1 || true)
    [ -n "$found" ] || gb_die "no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/: set DEBIAN_MIRROR to one"
    echo "$found"
}

# sha256 of files and strings, for cache keys.
gb_hash() { sha256sum "$@" | sha256sum | cut -c1-16; }

# Maven's own libraries call sun.misc.Unsafe, which JDK 25 warns about on every build: allow it quietly.
case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
esac
