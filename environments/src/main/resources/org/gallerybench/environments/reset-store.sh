#!/bin/sh
# Makes a gallery's upload folder hold exactly the benchmark's dataset, for one environment (the local process,
# a container's volume, the VM's folder: the same script everywhere). Run with the server stopped.
#   reset-store.sh STORE DATASET
# Beside this script, record.sha256 names what is the tool's own, one "SHA256  NAME" line a file (as sha256sum writes):
# the dataset's images, and what the load uploads ("SHA256  gallerybench-load*": any name with that prefix). Every
# record given here is kept in STORE/.gallerybench-made, so that a later reset with another dataset knows it too.
# - a file whose name and content are in that record (an image of any dataset placed here, a load's upload) and that
#   is not wanted now is removed, with its thumbnails: the tool made it;
# - any other file is a user's: it is never deleted nor overwritten. It is moved to STORE/.kept-by-gallerybench/
#   (which the gallery does not serve) under a name of its own there ("photo (2).jpg" when "photo.jpg" is already
#   kept), and the script says so. A user's file named like a dataset image is kept the same way before the image
#   takes its place;
# - DATASET's files that are missing or differ are copied in; thumbnails already made are kept.
# It runs before every round, in the VM too, where each process it starts costs tens of milliseconds under emulation:
# so one `diff` finds what differs, one `sha256sum` and one `awk` judge those files, and otherwise it starts only what
# it changes.
set -eu
store=${1%/}
dataset=${2%/}
record="$(dirname "$0")/record.sha256"
made="$store/.gallerybench-made"
kept_dir="$store/.kept-by-gallerybench"
mkdir -p "$store"
[ -f "$record" ] || { echo "reset-store.sh: no record.sha256 beside the script" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# What was ever placed here, with this run's record.
touch "$made"
cat "$made" "$record" | sort -u > "$work/made"
cp "$work/made" "$made.new" && mv "$made.new" "$made"

# One diff of the two folders: "Only in STORE: NAME" (not in the dataset), "Files DATASET/NAME and STORE/NAME
# differ", "Only in DATASET: NAME" (missing). Identical files say nothing. Names with a newline are never touched.
: > "$work/judge"
: > "$work/missing"
diff -q "$dataset" "$store" 2>/dev/null > "$work/diff" || true
while IFS= read -r line; do
    case "$line" in
        "Only in $store: "*) name=${line#"Only in $store: "} ;;
        "Files $dataset/"*" and $store/"*" differ") name=${line#"Files $dataset/"}; name=${name%% and "$store/"*} ;;
        "Only in $dataset: "*) name=${line#"Only in $dataset: "}
            case "$name" in .*) ;; *) printf '%s\n' "$name" >> "$work/missing" ;; esac
            continue ;;
        *) continue ;;
    esac
    case "$name" in .*) continue ;; esac
    [ -f "$store/$name" ] && [ ! -L "$store/$name" ] || continue
    printf '%s\n' "$name" >> "$work/judge"
done < "$work/diff"

# The files that are not the dataset's as they should be: the tool's own (in the record, by name and content) or a user's.
kept=0
removed=0
if [ -s "$work/judge" ]; then
    (cd "$store" && tr '\n' '\0' < "$work/judge" | xargs -0 sha256sum --) > "$work/sums"
    awk -v prefix="gallerybench-load" '
        FNR == NR { if ($2 ~ /\*$/) upload[$1] = 1; else own[$1 "  " substr($0, index($0, "  ") + 2)] = 1; next }
        {
            hex = $1; name = substr($0, index($0, "  ") + 2)
            if ((hex "  " name) in own || (hex in upload && index(name, prefix) == 1)) print "own " name; else print "user " name
        }' "$work/made" "$work/sums" > "$work/verdicts"
    while IFS= read -r verdict; do
        name=${verdict#* }
        case "$verdict" in
            own\ *)
                rm -f "$store/$name" "$store/.thumbs/$name" "$store/.thumbs/$name".*
                removed=$((removed + 1)) ;;
            user\ *)
                mkdir -p "$kept_dir"
                target="$kept_dir/$name"
                n=1
                case "$name" in
                    ?*.*) stem=${name%.*} ext=.${name##*.} ;;
                    *) stem=$name ext= ;;
                esac
                while [ -e "$target" ]; do
                    n=$((n + 1))
                    target="$kept_dir/$stem ($n)$ext"
                done
                mv -n "$store/$name" "$target"
                [ ! -e "$store/$name" ] || { echo "reset-store.sh: could not set $store/$name aside" >&2; exit 3; }
                rm -f "$store/.thumbs/$name" "$store/.thumbs/$name".*
                kept=$((kept + 1)) ;;
        esac
        if [ -f "$dataset/$name" ]; then
            printf '%s\n' "$name" >> "$work/missing"
        fi
    done < "$work/verdicts"
fi

# The dataset's images that are missing now, copied in whole (a partial copy is never seen under the image's name).
copied=0
while IFS= read -r name; do
    cp "$dataset/$name" "$store/.$name.part" && mv "$store/.$name.part" "$store/$name"
    copied=$((copied + 1))
done < "$work/missing"

count=0
for f in "$dataset"/*; do
    [ -f "$f" ] && count=$((count + 1))
done
echo "store reset: $count images ($copied copied in, $removed of the tool's own removed); $kept other files kept aside in $kept_dir"
