#!/bin/sh
# Makes a gallery's upload folder hold exactly the benchmark's dataset, for one environment (the local process,
# a container's volume, the VM's folder: the same script everywhere). Run with the server stopped.
#   reset-store.sh STORE DATASET
# - dataset files (bench-*) not in DATASET and the load's uploads (gallerybench-load*) are removed, with their thumbnails;
# - any other file (a user's own image) is never deleted: it is moved to STORE/.kept-by-gallerybench/, which the
#   gallery does not serve, and the script says so;
# - DATASET's files that are missing or differ are copied in; thumbnails already made are kept.
# It runs before every round, in the VM too, where each process it starts costs tens of milliseconds under emulation:
# so it starts one `diff` for all the files, not a `basename` and a `cmp` for each, and otherwise only what it changes.
set -eu
store=$1
dataset=$2
mkdir -p "$store"
kept=0
for f in "$store"/* "$store"/.[!.]*; do
    [ -e "$f" ] || continue
    name=${f##*/}
    case "$name" in
        .*) continue ;;
    esac
    [ -f "$f" ] || continue
    case "$name" in
        bench-*|gallerybench-load*)
            if [ ! -f "$dataset/$name" ]; then
                rm -f "$f" "$store/.thumbs/$name" "$store/.thumbs/$name".*
            fi ;;
        *)
            mkdir -p "$store/.kept-by-gallerybench"
            mv "$f" "$store/.kept-by-gallerybench/$name"
            kept=$((kept + 1)) ;;
    esac
done
# One diff of the two folders names every dataset file that is missing from the store or differs from it:
# "Only in DATASET: NAME" and "Files DATASET/NAME and STORE/NAME differ" (dataset names have no spaces).
dataset=${dataset%/}
diff -q "$dataset" "$store" 2>/dev/null | while IFS= read -r line; do
    case "$line" in
        "Only in $dataset: "*) name=${line#"Only in $dataset: "} ;;
        "Files $dataset/"*" differ") name=${line#"Files $dataset/"}; name=${name%% *} ;;
        *) continue ;;
    esac
    case "$name" in
        bench-*) cp "$dataset/$name" "$store/.$name.part" && mv "$store/.$name.part" "$store/$name" ;;
    esac
done
count=0
for f in "$dataset"/bench-*; do
    [ -e "$f" ] && count=$((count + 1))
done
echo "store reset: $count images; $kept other files kept aside in $store/.kept-by-gallerybench"
