#!/bin/sh
# The curation analyses over 100,000 items (tests/bench/curation_bench.c):
# fold, a 500-entry blocklist, sentiment, PII, questions, near-duplicates;
# on reviews of varied words, then on the texts of ../shared/bench/
# gen_mastodon.py (a 14-word vocabulary, the hard case for duplicates).
# Run by `make bench` (SRC is the source tree) or by hand from the tree.
set -e
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -I"$SRC/sdk/include" -I"$SRC/engine" \
  $(pkg-config --cflags libutf8proc) "$SRC/tests/bench/curation_bench.c" \
  "$SRC"/engine/curation/*.c "$SRC/engine/fsutil.c" "$SRC/engine/error.c" \
  -o "$out/curation_bench" $(pkg-config --libs libutf8proc) -lm
"$out/curation_bench" "$SRC/engine/curation/vader_lexicon.txt" "${N:-100000}" realistic
"$out/curation_bench" "$SRC/engine/curation/vader_lexicon.txt" "${N:-100000}" mastodon
