#!/usr/bin/env bash
# Filter benchmark (issue 8, filter plugins): N synthetic Mastodon statuses
# (../shared/bench/gen_mastodon.py) collected and curated by `kudos run`
# (no outputs) into a fresh store without filters, then into another fresh
# store with the language filter, then each run again on its store
# (nothing new: the filters skip every item).  The filter step's
# cost is the difference of the first two runs.
#
# Prints seconds (wall, median of RUNS) for each run, the filter step's
# items/s, and its share of the whole run.  Run by `make bench` with
# KUDOS, PLUGINS and SRC set.  Optional: N (100000), RUNS (3), KEEP=1.
# Aims: the language filter adds less than the time collecting took, and a
# run with nothing new pays next to nothing for its filters.  The script
# reports; it is not a pass/fail test.
set -euo pipefail

: "${KUDOS:?set KUDOS to the kudos binary}"
: "${PLUGINS:?set PLUGINS to the plugin folder}"
: "${SRC:?set SRC to the repository}"
N=${N:-100000}
RUNS=${RUNS:-3}
GEN=$(cd "$SRC/.." && pwd)/shared/bench/gen_mastodon.py

[ -f "$GEN" ] || { echo "bench_filter: $GEN is missing (../shared/bench)" >&2; exit 1; }
[ -x "$KUDOS" ] || { echo "bench_filter: $KUDOS is not built (make all)" >&2; exit 1; }
for p in source-mastodon filter-language; do
	[ -f "$PLUGINS/$p.so" ] || { echo "bench_filter: $PLUGINS/$p.so is not built" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kudos-bench-filter.XXXXXX")
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"; }
trap cleanup EXIT

# seconds CMD...: the wall seconds CMD took, on stdout.
seconds() {
	python3 - "$@" <<'PY'
import subprocess, sys, time
t = time.monotonic()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
print("%.3f" % (time.monotonic() - t))
sys.exit(rc)
PY
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

job() { # job FILE STORE FILTERS
	printf '{"name": "bench", "store": "%s", "sources": [{"plugin": "mastodon", "path": "pages"}],
	  "filters": %s}\n' "$2" "$3" > "$1"
}

echo "generating $N statuses (gen_mastodon.py) ..."
python3 "$GEN" "$TMP/pages" "$N" > /dev/null
cat "$TMP"/pages/* > /dev/null
job "$TMP/plain.json" plain.db '[]'
job "$TMP/filtered.json" filtered.db '[{"plugin": "language"}]'

plain=() filtered=() plain_again=() again=()
for r in $(seq "$RUNS"); do
	rm -f "$TMP"/plain.db* "$TMP"/filtered.db*
	plain+=("$(seconds "$KUDOS" run "$TMP/plain.json" -q --plugin-path "$PLUGINS")")
	filtered+=("$(seconds "$KUDOS" run "$TMP/filtered.json" -q --plugin-path "$PLUGINS")")
	plain_again+=("$(seconds "$KUDOS" run "$TMP/plain.json" -q --plugin-path "$PLUGINS")")
	again+=("$(seconds "$KUDOS" run "$TMP/filtered.json" -q --plugin-path "$PLUGINS")")
done
TAGGED=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
  "select count(*) from items where filter_results like ?", ("%lang:%",)).fetchone()[0])' \
  "$TMP/filtered.db")

python3 - "$N" "$(median "${plain[@]}")" "$(median "${filtered[@]}")" \
	"$(median "${again[@]}")" "$TAGGED" "$RUNS" "$(median "${plain_again[@]}")" <<'PY'
import sys
n, plain, filtered, again, tagged, runs, plain_again = sys.argv[1:]
n, plain, filtered, again, tagged = int(n), float(plain), float(filtered), float(again), int(tagged)
plain_again = float(plain_again)
step = max(filtered - plain, 0.001)
print(f"items                        {n:,} ({tagged:,} tagged with a language)")
print(f"kudos run, no filter         {plain:.2f} s  (median of {runs})")
print(f"the same with 'language'     {filtered:.2f} s")
print(f"filter step                  {step:.2f} s = {n / step:,.0f} items/s, "
      f"{100 * step / filtered:.0f}% of the run")
print(f"again, nothing new           {again:.2f} s  ({again - plain_again:+.2f} s against "
      f"{plain_again:.2f} s without the filter)")
print("aim: filter step < the run without filters: " + ("met" if step < plain else "NOT met"))
PY
