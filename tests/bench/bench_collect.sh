#!/usr/bin/env bash
# Collect benchmark (issue 4, "Speed"): 100,000 synthetic Mastodon statuses
# in pages of 40, collected by `kudos collect` into a fresh store, against
# the reference script ../shared/bench/collect_ref.py on the same pages in
# the same run.  Prints items, seconds, items/s, peak RSS, the reference's
# seconds and the ratio reference/kudos, then the peak RSS of a 10,000
# status run (memory must follow the page, not the total).
#
# Run by `make bench` with KUDOS (the binary), PLUGINS (its plugin folder)
# and SRC (the repository) set.  Optional: N (default 100000), SMALL_N
# (default 10000), RUNS (default 3: medians are printed), KEEP=1 keeps the
# temporary folder.
# Aims: >= 50,000 items/s on one core, and >= 2x the reference.  The script
# reports whether they are met; it is not a pass/fail test.  It also times
# cJSON alone on the pages (tests/bench/cjson_parse_bench.c), since the
# 50,000 was set on a machine where that took 1.26 s: what the aim asks
# of this machine is 50,000 scaled by the two parse times.
#
# Then `kudos curate` over the same store (issue 8's benchmark: "collect
# and curate 100,000 items with 500 blocklist entries and duplicate
# detection on"; aim: curating takes less time than collecting): the job
# carries a 500-entry blocklist.
#
# Last, 40,000 of the statuses with a quarter of them made replies: each
# reply is matched against permission requests, which must not grow with
# the store.
set -euo pipefail

: "${KUDOS:?set KUDOS to the kudos binary}"
: "${PLUGINS:?set PLUGINS to the plugin folder}"
: "${SRC:?set SRC to the repository}"
N=${N:-100000}
SMALL_N=${SMALL_N:-10000}
RUNS=${RUNS:-3}
BENCH_DIR=$(cd "$SRC/.." && pwd)/shared/bench
GEN=$BENCH_DIR/gen_mastodon.py
REF=$BENCH_DIR/collect_ref.py

for f in "$GEN" "$REF"; do
	if [ ! -f "$f" ]; then
		echo "bench_collect: $f is missing: the reference programs live in ../shared/bench" >&2
		exit 1
	fi
done
[ -x "$KUDOS" ] || { echo "bench_collect: $KUDOS is not built (make all)" >&2; exit 1; }
[ -f "$PLUGINS/source-mastodon.so" ] || {
	echo "bench_collect: $PLUGINS/source-mastodon.so is not built" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kudos-bench-collect.XXXXXX")
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"; }
trap cleanup EXIT

# measure OUT CMD...: run CMD, write "SECONDS MAX_RSS_KB CPU_SECONDS" to
# OUT (CPU = user + system, of every thread).
# GNU time (Debian package `time`) when installed, else a python3 wrapper
# reading the child's rusage.
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null; then
	MEASURE="/usr/bin/time -v"
	measure() {
		local out=$1; shift
		/usr/bin/time -f '%e %M %U %S' -o "$out" "$@"
	}
else
	MEASURE="python3 resource (GNU time is not installed: apt-get install time)"
	echo "bench_collect: /usr/bin/time is missing (Debian package 'time'); measuring with python3" >&2
	measure() {
		local out=$1; shift
		python3 - "$out" "$@" <<'PY'
import resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t = time.monotonic()
rc = subprocess.call(cmd)
el = time.monotonic() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
open(out, "w").write("%.3f %d %.3f 0\n" % (el, ru.ru_maxrss, ru.ru_utime + ru.ru_stime))
sys.exit(rc)
PY
	}
fi

job() { # job FILE PAGES STORE
	printf '{"name": "bench", "store": "%s", "sources": [{"plugin": "mastodon", "path": "%s"}],
	  "curation": {"blocklist_files": ["blocklist.txt"]}}\n' "$3" "$2" > "$1"
}

# 500 blocklist entries: words and two-word phrases, a few of which the
# generated statuses contain.
python3 - "$TMP/blocklist.txt" <<'PY'
import random, sys
rng = random.Random(7)
letters = "abcdefghijklmnopqrstuvwxyz"
words = ["".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(480)]
words += ["scam", "refund", "broken", "awful", "terrible", "worst", "fake", "spam",
          "garbage", "useless", "rip off", "never again", "do not buy", "waste of money",
          "customer service", "late delivery", "cheap plastic", "fell apart", "money back",
          "avoid"]
with open(sys.argv[1], "w") as f:
    f.write("# generated for the benchmark\n" + "\n".join(words) + "\n")
PY

# kudos_run PAGES TAG: collect PAGES into a fresh store, then curate it; sets
# SECS, RSS_KB, CPU, ITEMS of the collect and CURATE_S, CURATE_RSS of the curate.
kudos_run() {
	local pages=$1 tag=$2
	rm -f "$TMP/$tag.db" "$TMP/$tag.db-wal" "$TMP/$tag.db-shm"
	job "$TMP/$tag.json" "$pages" "$tag.db"
	measure "$TMP/$tag.time" "$KUDOS" collect "$TMP/$tag.json" --plugin-path "$PLUGINS" -q \
		> "$TMP/$tag.out" 2> "$TMP/$tag.err" || {
		echo "bench_collect: kudos collect failed:" >&2; cat "$TMP/$tag.err" >&2; exit 1; }
	read -r SECS RSS_KB USR SYS < "$TMP/$tag.time"
	CPU=$(python3 -c "print($USR + $SYS)")
	measure "$TMP/$tag.ctime" "$KUDOS" curate "$TMP/$tag.json" --plugin-path "$PLUGINS" -q \
		> "$TMP/$tag.cout" 2> "$TMP/$tag.cerr" || {
		echo "bench_collect: kudos curate failed:" >&2; cat "$TMP/$tag.cerr" >&2; exit 1; }
	read -r CURATE_S CURATE_RSS USR SYS < "$TMP/$tag.ctime"
	ITEMS=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from items").fetchone()[0])' "$TMP/$tag.db")
}

LOAD0=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
echo "generating $N statuses in pages of 40 (gen_mastodon.py) ..."
python3 "$GEN" "$TMP/pages" "$N" > /dev/null
python3 "$GEN" "$TMP/pages-small" "$SMALL_N" > /dev/null
PAGES=$(ls "$TMP/pages" | wc -l)
BYTES=$(du -sb "$TMP/pages" | cut -f1)
# Warm the page cache for both contenders alike.
cat "$TMP"/pages/* > /dev/null

# median X...: the middle value.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# kudos and the reference take turns, RUNS times each; before every run
# the previous one's dirty pages go to disk (sync), so that neither pays
# for the other's write-back.
K_S=() K_C=() K_U=() R_S=() R_C=()
for r in $(seq "$RUNS"); do
	sync
	kudos_run "$TMP/pages" big
	K_S+=("$SECS") K_C+=("$CPU") K_U+=("$CURATE_S")
	K_RSS=$RSS_KB K_ITEMS=$ITEMS K_CURATE_RSS=$CURATE_RSS
	rm -f "$TMP/ref.db"
	sync
	measure "$TMP/ref.time" python3 "$REF" "$TMP/pages" "$TMP/ref.db" > "$TMP/ref.out"
	read -r secs R_RSS USR SYS < "$TMP/ref.time"
	R_S+=("$secs") R_C+=("$(python3 -c "print($USR + $SYS)")")
done
K_SECS=$(median "${K_S[@]}") K_CPU=$(median "${K_C[@]}") K_CURATE=$(median "${K_U[@]}")
R_SECS=$(median "${R_S[@]}") R_CPU=$(median "${R_C[@]}")

# One core: the same collect pinned to CPU 0 (the aim is in items/s on
# one core), and cJSON alone on the same core (tests/bench/cjson_parse_bench.c):
# the aim's 50,000 items/s was set on a machine where that took 1.26 s per
# 100,000 statuses (../shared/bench/README.md), so it says what the aim
# means on this machine.  The two take turns, RUNS times each, medians:
# one run of each drifted by a quarter between bench runs.
ONE_CORE=0 PARSE_ONE=0
if command -v taskset > /dev/null; then
	PARSER=
	if ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 "$SRC/tests/bench/cjson_parse_bench.c" \
		-o "$TMP/cjson_parse_bench" $(pkg-config --cflags --libs libcjson) 2> "$TMP/cc.err"; then
		PARSER=$TMP/cjson_parse_bench
	else
		echo "bench_collect: cannot build cjson_parse_bench:" >&2; cat "$TMP/cc.err" >&2
	fi
	O_S=() P_S=()
	job "$TMP/one.json" "$TMP/pages" "one.db"
	for r in $(seq "$RUNS"); do
		rm -f "$TMP/one.db" "$TMP/one.db-wal" "$TMP/one.db-shm"
		sync
		measure "$TMP/one.time" taskset -c 0 "$KUDOS" collect "$TMP/one.json" \
			--plugin-path "$PLUGINS" -q > /dev/null 2>&1
		read -r secs _ < "$TMP/one.time"
		O_S+=("$secs")
		[ -n "$PARSER" ] && P_S+=("$(taskset -c 0 "$PARSER" "$TMP/pages" | cut -d' ' -f3)")
	done
	rm -f "$TMP/one.db" "$TMP/one.db-wal" "$TMP/one.db-shm"
	ONE_CORE=$(median "${O_S[@]}")
	[ -n "$PARSER" ] && PARSE_ONE=$(median "${P_S[@]}")
fi

kudos_run "$TMP/pages-small" small
S_RSS=$RSS_KB S_ITEMS=$ITEMS

# Replies: a quarter of 40,000 statuses answer another one.  Each reply
# is checked against the permission requests it may answer, which must
# stay a lookup: it was a scan of the source's items, and this took 83 s.
python3 - "$TMP/pages" "$TMP/pages-replies" <<'PY'
import json, os, random, sys
src, dst = sys.argv[1:]
os.makedirs(dst)
rng = random.Random(3)
files = sorted(os.listdir(src))[:1000]
ids = [s["id"] for f in files for s in json.load(open(os.path.join(src, f)))]
for f in files:
    page = json.load(open(os.path.join(src, f)))
    for s in page:
        if rng.random() < 0.25:
            s["in_reply_to_id"] = rng.choice(ids)
    json.dump(page, open(os.path.join(dst, f), "w"))
PY
rm -f "$TMP/replies.db" "$TMP/replies.db-wal" "$TMP/replies.db-shm"
job "$TMP/replies.json" "$TMP/pages-replies" "replies.db"
measure "$TMP/replies.time" "$KUDOS" collect "$TMP/replies.json" --plugin-path "$PLUGINS" -q \
	> /dev/null 2> "$TMP/replies.err" || {
	echo "bench_collect: kudos collect failed:" >&2; cat "$TMP/replies.err" >&2; exit 1; }
read -r REPLY_S _ < "$TMP/replies.time"
REPLY_N=$(python3 -c 'import sqlite3, sys; print(*sqlite3.connect(sys.argv[1]).execute("select count(*), count(in_reply_to) from items").fetchone())' "$TMP/replies.db")

python3 - "$K_ITEMS" "$K_SECS" "$K_RSS" "$R_SECS" "$R_RSS" "$S_ITEMS" "$S_RSS" \
	"$PAGES" "$BYTES" "$N" "$MEASURE" "$K_CPU" "$R_CPU" "$(nproc)" \
	"$LOAD0" "$K_CURATE" "$K_CURATE_RSS" "$ONE_CORE" "$RUNS" "$PARSE_ONE" \
	"$REPLY_S" $REPLY_N <<'PY'
import sys
(items, ks, krss, rs, rrss, sitems, srss, pages, nbytes, n, how, kcpu, rcpu, cores,
 load, kcurate, kcrss, one, runs, parse, reply_s, reply_all, reply_n) = sys.argv[1:]
one, parse = float(one), float(parse)
kcurate, kcrss = float(kcurate), int(kcrss)
kcpu, rcpu = float(kcpu), float(rcpu)
items, ks, krss, rs, rrss = int(items), float(ks), int(krss), float(rs), int(rrss)
sitems, srss, n = int(sitems), int(srss), int(n)
ks = max(ks, 0.01)
rate = items / ks
ratio = rs / ks
print(f"input            {n:,} statuses, {int(pages):,} pages, {int(nbytes)/1e6:.0f} MB (measured with {how}; medians of {runs} runs)")
print(f"items            {items:,}")
print(f"kudos seconds    {ks:.2f}")
print(f"items/s          {rate:,.0f}")
print(f"peak RSS MB      {krss/1024:.1f}")
print(f"reference s      {rs:.2f}   (collect_ref.py, peak RSS {rrss/1024:.1f} MB)")
print(f"ratio ref/kudos  {ratio:.2f}")
print(f"CPU seconds      kudos {kcpu:.2f} ({items / max(kcpu, 0.01):,.0f} items per CPU-second), "
      f"reference {rcpu:.2f}; {cores} cores, load average {load} before the runs")
print(f"peak RSS MB at {sitems:,} statuses: {srss/1024:.1f}  (at {items:,}: {krss/1024:.1f})")
if one > 0:
    print(f"on one core      {one:.2f} s, {items / one:,.0f} items/s (taskset -c 0, median of {runs})")
# Where the aim was set, cJSON alone took 1.26 s per 100,000 statuses.
scaled = None
if parse > 0 and one > 0:
    there = 1.26 * int(n) / 100000
    scaled = 50000 * there / parse
    print(f"cJSON alone      {parse:.2f} s on one core ({int(n) / parse:,.0f} statuses/s; "
          f"{there:.2f} s where the aim was set): this machine runs at {there / parse:.2f} of that one")
    print(f"kudos / cJSON    {one / parse:.2f} on one core (the aim allows "
          f"{int(n) / 50000 / there:.2f}: {int(n) / 50000:.2f} s of collect against {there:.2f} s "
          f"of parsing alone)")
ok_rate, ok_ratio = (items / one if one > 0 else rate) >= 50000, ratio >= 2.0
ok_mem = krss <= srss * 1.5 + 4096
print(f"kudos curate     {kcurate:.2f} s, {items / max(kcurate, 0.01):,.0f} items/s, peak RSS "
      f"{kcrss/1024:.1f} MB (500-entry blocklist, duplicates, sentiment, PII, rules): "
      f"{kcurate / ks:.2f} of the collect time")
print(f"collect + curate {ks + kcurate:.2f} s, {items / (ks + kcurate):,.0f} items/s")
print(f"with replies     {int(reply_all):,} statuses, {int(reply_n):,} of them replies: "
      f"{float(reply_s):.2f} s ({int(reply_all) / max(float(reply_s), 0.01):,.0f} items/s)")
print("aim >= 50,000 items/s on one core: " + ("met" if ok_rate else "NOT met"))
if scaled:
    print(f"  the same aim on this machine:     >= {scaled:,.0f} items/s on one core: "
          + ("met" if items / one >= scaled else "NOT met"))
print("aim >= 2x collect_ref:              " + ("met" if ok_ratio else "NOT met"))
print("aim curate < collect (issue 8):     " + ("met" if kcurate < ks else "NOT met"))
print("memory bounded by a page: " + ("yes" if ok_mem else "NO: it grows with the total"))
if items != n:
    print(f"warning: {n - items} statuses were not collected")
PY
