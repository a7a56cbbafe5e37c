#!/bin/sh
# Makes a gallery's upload folder hold exactly the benchmark's dataset, for one environment (the local process,
# a container's volume, the VM's folder: the same script everywhere). Run with the server stopped.
#   reset-store.sh STORE DATASET
# - dataset files (bench-*) not in DATASET and the load's uploads (gallerybench-load*) are removed, with their thumbnails;
# - any other file (a user's own image) is never deleted: it is moved to STORE/.kept-by-gallerybench/, which the
#   gallery does not serve, and the script says so;
# - DATASET's files that are missing or differ are copied in; thumbnails already made are kept.
set -eu
store=$1
dataset=$2
mkdir -p "$store"
kept=0
for f in "$store"/* "$store"/.[!.]*; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    case "$name" in
        .thumbs|.kept-by-gallerybench) continue ;;
        .*) continue ;;
    esac
    [ -f "$f" ] || continue
    case "$name" in
        bench-*|gallerybench-load*)
            if [ ! -f "$dataset/$name" ]; then
                rm -f "$f"
                rm -f "$store/.thumbs/$name" "$store/.thumbs/$name".* 2>/dev/null || true
            fi ;;
        *)
            mkdir -p "$store/.kept-by-gallerybench"
            mv "$f" "$store/.kept-by-gallerybench/$name"
            kept=$((kept + 1)) ;;
    esac
done
for f in "$dataset"/bench-*; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    if ! cmp -s "$f" "$store/$name" 2>/dev/null; then
        cp "$f" "$store/.$name.part" && mv "$store/.$name.part" "$store/$name"
    fi
done
echo "store reset: $(ls "$dataset" | grep -c '^bench-') images; $kept other files kept aside in $store/.kept-by-gallerybench"
