# Sourced by the scripts in book/scripts/: how they write what the book shows.
#
# A page shows a run of a real program, and a run has parts that differ every time: ports, pids,
# timings, CPU shares, how often a full buffer paused a client. Rewriting a file for those alone
# would leave the tree dirty after every run, so `emit` compares the new output with the file
# already there after masking them, and writes only when something else differs: a line added or
# gone, a word, a count. FORCE=1 writes every file anyway (to take fresh measurements).
#
# What is masked: 127.0.0.1:PORT, every decimal number, integers followed by a unit (ns, µs, ms,
# s, KiB, MiB, bytes, turns, %), and the order and repetition of lines (events a few µs apart may
# print in either order). In an SVG every number is masked: the coordinates come from timings.

# normalize DEST FILE [SED-EXPR...]: FILE, the old or new content of DEST, as `emit` compares it.
normalize() {
    local dest=$1 file=$2
    shift 2
    local digits='s/[0-9]+\.[0-9]+/#.#/g'
    if [[ "$dest" == *.svg ]]; then
        digits='s/[0-9]+/#/g'
    fi
    local extra=()
    for expr in "$@"; do
        extra+=(-e "$expr")
    done
    sed -E -e 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g' -e "$digits" \
        -e 's/[0-9]+( ?)(ns|µs|us|ms|s|KiB|MiB|GiB|bytes|turns|%)([^[:alnum:]]|$)/#\1\2\3/g' \
        "${extra[@]}" "$file" | LC_ALL=C sort -u
}

# emit DEST [SED-EXPR...] < output: prints the output, and writes it to DEST unless DEST already
# holds the same thing up to what is masked (plus what the extra sed expressions mask).
emit() {
    local new
    new=$(mktemp)
    tee "$new"
    settle "$new" "$@"
}

# differs NEW DEST [SED-EXPR...]: true when NEW is worth writing to DEST under emit's rule.
differs() {
    local new=$1 dest=$2
    shift 2
    [[ "${FORCE:-0}" == 1 || ! -f "$dest" ]] ||
        ! cmp -s <(normalize "$dest" "$new" "$@") <(normalize "$dest" "$dest" "$@")
}

# settle NEW DEST [SED-EXPR...]: moves the file NEW to DEST under emit's rule, or deletes it.
settle() {
    local new=$1 dest=$2
    if differs "$@"; then
        mv "$new" "$dest"
        chmod 644 "$dest"
        echo "wrote: $dest" >&2
    else
        rm -f "$new"
        echo "unchanged: $dest (no more than measurements, ports or line order differ; FORCE=1 writes it)" >&2
    fi
}
