#!/usr/bin/env bash
# bench-images.sh — dossier's image processing (generator/images) against
# Hugo's on the same photos (docs/performance.md, "Images"). Run by
# `make bench-images`; scripts/bench.sh may call it for its images columns.
#
# It generates IMAGES_N photo-like 2000×1333 JPEGs (go run ./cmd/imagebench
# gen) and a Hugo site with one page bundle per photo whose template resizes
# it to 480, 800, 1200 and 1600 px wide, each as JPEG and as WebP, at our
# quality (80) and with our filter (Catmull-Rom), as dossier's
# images.DefaultSpec does. Then, IMAGES_RUNS times and interleaved:
#   hugo        cold: hugo with its resources/_gen cache removed
#   dossier     cold: imagebench run with an empty image cache (a worker per core)
#   dossier-warm      the same again, the cache full
#   hugo-warm         hugo again, its cache full
# Each writes every variant to disk, as a build does. It prints medians and
# images per second, with the 1-minute load average (a shared machine
# inflates wall times: read the table with it).
#
# Settings (environment):
#   IMAGES_N      number of photos          (default 40)
#   IMAGES_RUNS   runs of each              (default 3)
#   BENCH_WORK    work folder               (default: a new temp folder, removed at the end)
#   BENCH_KEEP=1  keep the work folder
#   HUGO          the hugo binary           (default: hugo on PATH; apt-get install -y hugo)
set -euo pipefail

cd "$(dirname "$0")/.."
N=${IMAGES_N:-40}
RUNS=${IMAGES_RUNS:-3}
GO=${GO:-go}
HUGO=${HUGO:-$(command -v hugo || true)}
WORK=${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/dossier-images-XXXXXX")}
[ -n "${BENCH_KEEP:-}" ] || [ -n "${BENCH_WORK:-}" ] || trap 'rm -rf "$WORK"' EXIT

log() { printf '%s\n' "$*" >&2; }

"$GO" build -o "$WORK/imagebench" ./cmd/imagebench
log "generating $N photos of 2000×1333 in $WORK…"
"$WORK/imagebench" gen -n "$N" -dir "$WORK/photos" ${HUGO:+-hugo "$WORK/hugo"}

now() { date +%s.%N; }
load1() { cut -d' ' -f1 /proc/loadavg; }
RAW="$WORK/raw.txt"
: >"$RAW"

# timed NAME RUN CMD…: one line "name run seconds load1" into $RAW.
timed() {
	local name=$1 run=$2 l t0 t1
	shift 2
	l=$(load1)
	t0=$(now)
	"$@" >/dev/null
	t1=$(now)
	echo "$name $run $(echo "$t1 - $t0" | bc -l) $l" | tee -a "$RAW" >&2
}

hugo_run() { "$HUGO" --quiet --source "$WORK/hugo" --destination "$WORK/hugo-out" --cacheDir "$WORK/hugo-cache"; }

for run in $(seq 1 "$RUNS"); do
	if [ -n "$HUGO" ]; then
		rm -rf "$WORK/hugo/resources" "$WORK/hugo-out"
		timed hugo "$run" hugo_run
	fi
	rm -rf "$WORK/cache" "$WORK/out"
	timed dossier "$run" "$WORK/imagebench" run -dir "$WORK/photos" -cache "$WORK/cache" -out "$WORK/out"
	rm -rf "$WORK/out"
	timed dossier-warm "$run" "$WORK/imagebench" run -dir "$WORK/photos" -cache "$WORK/cache" -out "$WORK/out"
	if [ -n "$HUGO" ]; then
		rm -rf "$WORK/hugo-out"
		timed hugo-warm "$run" hugo_run
	fi
done

median() { awk -v n="$1" '$1 == n { print $3 }' "$RAW" | sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "" }'; }
loads() { awk '{ print $4 }' "$RAW" | sort -n | awk '{ a[NR] = $1 } END { print a[1] "–" a[NR] }'; }
bytes_of() { find "$1" -type f \( -name '*.webp' -o -name '*_resize_*.jpg' -o -name '*.[0-9]*.jpg' \) -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { printf "%.1f", s / 1048576 }'; }

echo
echo "# $N photos of 2000×1333, 4 widths × (JPEG + WebP) each, $(nproc) cores, load $(loads), $RUNS runs, medians"
echo "# $("$GO" version); hugo: ${HUGO:+$("$HUGO" version | sed -n 1p)}"
echo
echo "| tool | cold s | cold images/s | warm s | variants MB |"
echo "|---|---|---|---|---|"
for t in dossier hugo; do
	c=$(median "$t"); w=$(median "$t-warm")
	[ -n "$c" ] || continue
	out="$WORK/out"; [ "$t" = hugo ] && out="$WORK/hugo-out"
	echo "| $t | $(printf '%.2f' "$c") | $(echo "$N / $c" | bc -l | xargs printf '%.2f') | $(printf '%.2f' "$w") | $(bytes_of "$out") |"
done
