#!/usr/bin/env bash
# Installs an app under test of the user's own (a subject's [vm] section) in the guest, as root, over SSH from the
# dashboard or the CLI. Idempotent: packages already there are not fetched again, unchanged files are left alone.
#
#   subject-provision.sh STAGE NAME
#
# STAGE holds: packages (Debian package names, one per line), files/ (the subject's files, installed in
# /opt/subject/NAME) and gb-subject-NAME.service (its unit, its command in ExecStart=), which the tool makes from the
# manifest. The app runs as the
# system user gbsubject; its store is /var/lib/gb-subject/NAME/uploads. The unit conflicts with gallery.service (both
# listen on the guest's 8080), and installing one subject stops any other.
set -euo pipefail
stage=${1:?usage: subject-provision.sh STAGE NAME}
name=${2:?usage: subject-provision.sh STAGE NAME}
unit="gb-subject-$name.service"
mkdir -p "$stage/files"
install -d -m 755 /opt/subject

missing=()
while IFS= read -r pkg; do
    [ -n "$pkg" ] || continue
    # Debian's rule for a name (the tool checks it too): nothing else reaches apt, and never as an option.
    [[ $pkg =~ ^[a-z0-9][a-z0-9+.-]+$ ]] || { echo "subject-provision.sh: '$pkg' is not a Debian package's name" >&2; exit 2; }
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < "$stage/packages"
if [ ${#missing[@]} -gt 0 ]; then
    echo "subject-provision.sh: installing ${missing[*]} from $(grep -hoE '^(URIs:|deb) +[a-z]+://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | awk '{print $2}' | head -1)"
    if ! apt-get update -q > /tmp/gb-subject-apt.log 2>&1; then
        tail -5 /tmp/gb-subject-apt.log >&2
        echo "subject-provision.sh: apt-get update failed in the guest: can it reach its Debian mirror?" >&2
        exit 3
    fi
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -- "${missing[@]}" >> /tmp/gb-subject-apt.log 2>&1; then
        grep -E '^E:' /tmp/gb-subject-apt.log | tail -3 >&2 || tail -5 /tmp/gb-subject-apt.log >&2
        echo "subject-provision.sh: installing ${missing[*]} failed in the guest" >&2
        exit 4
    fi
    rm -rf /var/lib/apt/lists/*
fi

getent group gbsubject >/dev/null || groupadd --system gbsubject
getent passwd gbsubject >/dev/null || useradd --system --gid gbsubject --home-dir /var/lib/gb-subject --shell /usr/sbin/nologin gbsubject
install -d -o gbsubject -g gbsubject -m 755 /var/lib/gb-subject "/var/lib/gb-subject/$name" "/var/lib/gb-subject/$name/uploads"

# A store inside the app's files ([store] folder, e.g. static/uploads): relative, nothing a shell reads as more (the tool
# checks it too).
folder=$(head -n 1 "$stage/store_folder" 2>/dev/null || true)
if [ -n "$folder" ]; then
    [[ $folder =~ ^[A-Za-z0-9._/-]+$ && $folder != /* && ! $folder =~ (^|/)\.\.?(/|$) ]] \
        || { echo "subject-provision.sh: '$folder' is not a folder inside the app" >&2; exit 2; }
fi

# Its files, replaced whole when any differs (by their checksums; the app never writes there: it runs as gbsubject).
(cd "$stage/files" && find . -type f | LC_ALL=C sort | xargs -r -d '\n' sha256sum) > "$stage/files.sha256"
if [ ! -d "/opt/subject/$name" ] || ! cmp -s "$stage/files.sha256" "/opt/subject/$name.files.sha256"; then
    rm -rf "/opt/subject/$name.new"
    cp -a "$stage/files" "/opt/subject/$name.new"
    chown -R root:root "/opt/subject/$name.new"
    chmod -R a+rX "/opt/subject/$name.new"
    systemctl stop "$unit" 2>/dev/null || true
    rm -rf "/opt/subject/$name"
    mv "/opt/subject/$name.new" "/opt/subject/$name"
    install -m 644 "$stage/files.sha256" "/opt/subject/$name.files.sha256"
fi
# The store inside the app is the guest's store folder, linked where the app serves its images from.
if [ -n "$folder" ] && [ "$(readlink "/opt/subject/$name/$folder" 2>/dev/null)" != "/var/lib/gb-subject/$name/uploads" ]; then
    rm -rf "/opt/subject/$name/$folder"
    mkdir -p "$(dirname "/opt/subject/$name/$folder")"
    ln -s "/var/lib/gb-subject/$name/uploads" "/opt/subject/$name/$folder"
fi

rm -f "/opt/subject/$name.run.sh" # an older install's launcher: the unit runs the command itself now

for other in $(systemctl list-units --plain --no-legend 'gb-subject-*.service' | awk '{print $1}'); do
    [ "$other" = "$unit" ] || systemctl stop "$other"
done
if ! cmp -s "$stage/$unit" "/etc/systemd/system/$unit"; then
    systemctl stop "$unit" 2>/dev/null || true
    install -m 644 "$stage/$unit" "/etc/systemd/system/$unit"
    systemctl daemon-reload
fi
echo "subject-provision.sh: $name installed in /opt/subject/$name (unit $unit)"
