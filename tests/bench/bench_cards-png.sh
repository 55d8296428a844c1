#!/usr/bin/env bash
# Cards benchmark (issue 6, "Speed"): the same 100 cards (same quote with
# its number, name, avatar, five stars, 1080x1080) rendered by `kudos
# render` with the cards-png output and by the reference scripts in
# ../shared/bench/ (pil_cards.py: Pillow; im_card.sh: ImageMagick), in one
# run.  The kudos theme copies the reference card (colours, DejaVu Sans 44
# px, 160 px avatar, 100 px margin) so that the PNGs are comparable.
#
# Prints, for each: ms per card (wall and CPU, median of RUNS runs), the
# ratios, the total PNG bytes; then kudos with --jobs 2 and its speed-up,
# and a cached re-render of the 100 unchanged cards against the first
# render.  kudos's figures are whole-process: start, store, fonts, and the
# cards' files, written beside their targets and synced and renamed
# together at the end of the render (engine/staged.c).  With
# ENCODE=1, also how the plugin's PNG encoder compares with libpng's own
# path under each filter set, zlib level and strategy, on kudos's cards
# (tests/bench/png_encode_bench.c).
#
# Run by `make bench` with KUDOS, PLUGINS and SRC set.  Optional: N (100),
# RUNS (3), IM_N (cards made with ImageMagick, 10: one process per card),
# ENCODE=1, KEEP=1 keeps the temporary folder.  Needs /usr/bin/python3 with Pillow
# (python3-pil), fonts-dejavu-core and imagemagick; a reference that is
# missing is reported and skipped.
# Aims: kudos >= 5x Pillow per card on one core, >= 25x ImageMagick, PNG
# bytes <= Pillow's, near-linear speed-up with 2 jobs, cached re-render
# < 5% of the first.  The script reports; it is not a pass/fail test.
set -euo pipefail

: "${KUDOS:?set KUDOS to the kudos binary}"
: "${PLUGINS:?set PLUGINS to the plugin folder}"
: "${SRC:?set SRC to the repository}"
N=${N:-100}
RUNS=${RUNS:-3}
IM_N=${IM_N:-10}
BENCH_DIR=$(cd "$SRC/.." && pwd)/shared/bench
AVATAR=$SRC/tests/fixtures/cards/avatar.jpg
DEJAVU=/usr/share/fonts/truetype/dejavu

[ -x "$KUDOS" ] || { echo "bench_cards-png: $KUDOS is not built (make all)" >&2; exit 1; }
for p in output-cards-png source-google-reviews; do
	[ -f "$PLUGINS/$p.so" ] || { echo "bench_cards-png: $PLUGINS/$p.so is not built" >&2; exit 1; }
done
[ -f "$DEJAVU/DejaVuSans.ttf" ] || {
	echo "bench_cards-png: fonts-dejavu-core is missing (apt-get install fonts-dejavu-core)" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kudos-bench-cards.XXXXXX")
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"; }
trap cleanup EXIT

# measure OUT CMD...: "WALL_SECONDS CPU_SECONDS" of CMD (every thread,
# children included) into OUT.
measure() {
	local out=$1; shift
	python3 - "$out" "$@" <<'PY'
import resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t = time.monotonic()
rc = subprocess.call(cmd, stdout=subprocess.DEVNULL)
el = time.monotonic() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
open(out, "w").write("%.4f %.4f\n" % (el, ru.ru_utime + ru.ru_stime))
sys.exit(rc)
PY
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# The items: N Google reviews by one reviewer, the reference quote + " #i".
python3 - "$TMP" "$N" <<'PY'
import json, sys
tmp, n = sys.argv[1], int(sys.argv[2])
q = ("We switched our whole support team over in a week. Response times dropped by half "
     "and our customers noticed \u2014 three of them wrote to thank us. Honestly the best "
     "purchase we made this year.")
reviews = [{"name": "accounts/1/locations/2/reviews/r%03d" % i, "reviewId": "r%03d" % i,
            "reviewer": {"profilePhotoUrl": "https://example.com/dana.jpg",
                         "displayName": "Dana Whitfield"},
            "starRating": "FIVE", "comment": "\u201c" + q + " #%d\u201d" % i,
            "createTime": "2025-11-02T09:00:%02dZ" % (i % 60)} for i in range(n)]
json.dump({"reviews": reviews}, open(tmp + "/reviews.json", "w"))
PY

job() { # job FILE
	cat > "$1" <<EOF
{"name": "bench", "store": "k.db",
 "sources": [{"plugin": "google-reviews", "path": "reviews.json"}],
 "outputs": [{"plugin": "cards-png", "dir": "out",
   "avatar_map": {"https://example.com/dana.jpg": "$AVATAR"},
   "theme": {"background": "#1f2a44", "text": "#ffffff", "muted": "#ffffff",
             "star": "#ffc83d", "star_empty": "#1f2a44",
             "font": "$DEJAVU/DejaVuSans.ttf", "font_bold": "$DEJAVU/DejaVuSans-Bold.ttf",
             "quote_max": 44, "quote_min": 44, "line_height": 1.27, "name_size": 40,
             "margin": 100, "avatar_size": 160, "star_size": 36,
             "quote_mark": false, "show_source": false}}]}
EOF
}
job "$TMP/job.json"
K() { "$KUDOS" "$@" --plugin-path "$PLUGINS"; }
(cd "$TMP" && K collect job.json -q)
ids=$(cd "$TMP" && K list --json --store k.db | python3 -c \
	'import json, sys; print(" ".join(i["id"] for i in json.load(sys.stdin)))')
(cd "$TMP" && K approve $ids --store k.db -q)
for id in $ids; do (cd "$TMP" && K grant "$id" --scope print --evidence bench --store k.db -q); done

# The single-core runs (kudos --jobs 1 and Pillow) are pinned to CPU 0
# when taskset (util-linux) is there.
ONE_CORE=()
command -v taskset > /dev/null && ONE_CORE=(taskset -c 0)

# kudos_render JOBS TAG: render every card from scratch RUNS times on
# JOBS threads.  The cache is the store's: a copy of the store before any
# render makes every card new.
cp "$TMP/k.db" "$TMP/k.fresh.db"
kudos_render() {
	local jobs=$1 tag=$2 pin=()
	# One job runs on one core: pinned, so that no helper thread of the
	# process overlaps the renderer on the other core.
	[ "$jobs" = 1 ] && pin=("${ONE_CORE[@]}")
	for r in $(seq "$RUNS"); do
		rm -rf "$TMP/out" "$TMP/k.db-wal" "$TMP/k.db-shm"
		cp "$TMP/k.fresh.db" "$TMP/k.db"
		(cd "$TMP" && measure "$TMP/$tag.$r" "${pin[@]}" "$KUDOS" render job.json \
			--jobs "$jobs" --plugin-path "$PLUGINS" -q)
	done
	WALL=$(for r in $(seq "$RUNS"); do cut -d' ' -f1 "$TMP/$tag.$r"; done | median)
	CPU=$(for r in $(seq "$RUNS"); do cut -d' ' -f2 "$TMP/$tag.$r"; done | median)
}

kudos_render 1 k1; K1_WALL=$WALL; K1_CPU=$CPU
K_BYTES=$(cat "$TMP"/out/*.png | wc -c)
K_FILES=$(ls "$TMP"/out/*.png | wc -l)
for r in $(seq "$RUNS"); do # nothing changed: every card is kept
	(cd "$TMP" && measure "$TMP/kc.$r" "$KUDOS" render job.json --jobs 1 --plugin-path "$PLUGINS" -q)
done
KC_WALL=$(for r in $(seq "$RUNS"); do cut -d' ' -f1 "$TMP/kc.$r"; done | median)
KC_NOTE=$(cd "$TMP" && K render job.json -v 2>&1 | grep -o 'nothing changed[^;]*' || true)
kudos_render 2 k2; K2_WALL=$WALL; K2_CPU=$CPU

per() { awk -v t="$1" -v n="$2" 'BEGIN {printf "%.1f", t * 1000 / n}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.1fx", a / b; else print "-"}'; }

echo "cards: $N cards 1080x1080, $K_FILES written by kudos; medians of $RUNS runs; $(nproc) cores;" \
	"$([ ${#ONE_CORE[@]} -gt 0 ] && echo "jobs 1 and Pillow pinned to one core" || echo "taskset missing: nothing pinned")"
printf '  kudos (jobs 1)   %6s ms/card wall  %6s ms/card CPU  PNG %d bytes (%d per card)\n' \
	"$(per "$K1_WALL" "$N")" "$(per "$K1_CPU" "$N")" "$K_BYTES" $((K_BYTES / N))
printf '  kudos (jobs 2)   %6s ms/card wall  %6s ms/card CPU  speed-up %s\n' \
	"$(per "$K2_WALL" "$N")" "$(per "$K2_CPU" "$N")" "$(ratio "$K1_WALL" "$K2_WALL")"
printf '  kudos cached     %6s ms/card wall  (%s of the first render: %s)\n' \
	"$(per "$KC_WALL" "$N")" \
	"$(awk -v a="$KC_WALL" -v b="$K1_WALL" 'BEGIN {printf "%.1f%%", 100 * a / b}')" "$KC_NOTE"

if /usr/bin/python3 -c 'import PIL' 2>/dev/null && [ -f "$BENCH_DIR/pil_cards.py" ]; then
	for r in $(seq "$RUNS"); do
		rm -rf "$TMP/pil"
		measure "$TMP/pil.$r" "${ONE_CORE[@]}" /usr/bin/python3 "$BENCH_DIR/pil_cards.py" "$AVATAR" "$TMP/pil" "$N"
	done
	P_WALL=$(for r in $(seq "$RUNS"); do cut -d' ' -f1 "$TMP/pil.$r"; done | median)
	P_CPU=$(for r in $(seq "$RUNS"); do cut -d' ' -f2 "$TMP/pil.$r"; done | median)
	P_BYTES=$(cat "$TMP"/pil/*.png | wc -c)
	printf '  Pillow           %6s ms/card wall  %6s ms/card CPU  PNG %d bytes (%d per card)\n' \
		"$(per "$P_WALL" "$N")" "$(per "$P_CPU" "$N")" "$P_BYTES" $((P_BYTES / N))
	printf '  kudos vs Pillow: %s faster per card (wall), %s (CPU); PNG bytes %s of Pillow'"'"'s (aim: >= 5x, <= 1.0)\n' \
		"$(ratio "$P_WALL" "$K1_WALL")" "$(ratio "$P_CPU" "$K1_CPU")" \
		"$(awk -v a="$K_BYTES" -v b="$P_BYTES" 'BEGIN {printf "%.3f", a / b}')"
else
	echo "  Pillow: skipped (needs /usr/bin/python3 with python3-pil, and $BENCH_DIR/pil_cards.py)"
fi

if command -v convert >/dev/null && [ -f "$BENCH_DIR/im_card.sh" ]; then
	q='We switched our whole support team over in a week. Response times dropped by half and our customers noticed — three of them wrote to thank us. Honestly the best purchase we made this year.'
	mkdir -p "$TMP/im"
	measure "$TMP/im.t" bash -c "for i in \$(seq $IM_N); do bash '$BENCH_DIR/im_card.sh' '$AVATAR' '$TMP/im/card'\$i'.png' \"$q #\$i\" 'Dana Whitfield' 5; done"
	I_WALL=$(cut -d' ' -f1 "$TMP/im.t")
	I_BYTES=$(cat "$TMP"/im/*.png | wc -c)
	printf '  ImageMagick      %6s ms/card wall  (%d cards)  PNG %d bytes per card\n' \
		"$(per "$I_WALL" "$IM_N")" "$IM_N" $((I_BYTES / IM_N))
	printf '  kudos vs ImageMagick: %s faster per card (aim: >= 25x)\n' \
		"$(ratio "$(awk -v t="$I_WALL" -v n="$IM_N" 'BEGIN {print t / n}')" \
		         "$(awk -v t="$K1_WALL" -v n="$N" 'BEGIN {print t / n}')")"
else
	echo "  ImageMagick: skipped (needs imagemagick's convert and $BENCH_DIR/im_card.sh)"
fi

if [ "${ENCODE:-0}" = 1 ]; then
	P=$SRC/plugins/output-cards-png
	${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -I"$SRC/sdk/include" "$SRC/tests/bench/png_encode_bench.c" \
		"$P/cards_png_write.c" "$P/cards_deflate.c" "$P/cards_deflate_walk.c" "$P/cards_raster.c" \
		-o "$TMP/png_encode_bench" \
		$(pkg-config --cflags --libs libpng zlib libdeflate) -lm
	echo "PNG encoding of kudos's cards (CPU time, median of 5 per card, over 10 cards):"
	"$TMP/png_encode_bench" 5 $(ls "$TMP"/out/*.png | head -10) | sed 's/^/  /'
fi
