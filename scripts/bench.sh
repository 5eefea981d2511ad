#!/usr/bin/env bash
# bench.sh — full-build performance of dossier against Hugo and the bare
# goldmark floor on generated corpora (docs/performance.md). Run by
# `make bench`.
#
# For each corpus size it generates a site (go run ./cmd/corpus) in dossier's
# format and as two Hugo sites: the twin with equal pages (every list of
# dossier's theme) and the "lite" twin a Hugo user would make (dossier,
# actor, treaty, tag and list pages). Then it times, BENCH_RUNS times and
# interleaved (cold, dossier, hugo, lite, pagefind, floor, cold, …):
#   cold      dossier build with an empty cache (.dossier-cache removed first:
#             every social card is drawn, every file parsed) into an empty
#             folder; raw lines say "dossier-cold"
#   dossier   the warm build: dossier build into an empty folder with the
#             cache the previous build left (cards, parse results, search
#             analyses), so every page is still made and written
#   hugo      Debian's hugo on the equal twin (skipped with a note when absent,
#             and above BENCH_HUGO_MAX dossiers), --quiet, no --gc
#   lite      hugo on the lite twin
#   pagefind  Pagefind indexing the lite twin's output (Hugo has no search;
#             `make tools` installs it into .tools/); "Hugo + Pagefind" = lite + pagefind
#   floor     the same-output floor: bare goldmark renders every Markdown file,
#             then a file of the same size is written at every path of
#             dossier's output (corpus bare -like)
#   limited   dossier build --memory-limit BENCH_MEMORY_LIMIT (own small table)
#   rebuild   dossier build after a one-line edit of one dossier, into the
#             folder of the last build: the build cache's rebuild
# with /usr/bin/time (wall, user, system, peak RSS), then
#   serve     dossier serve: seconds from process start until the home page
#             answers 200, with CPU time and peak RSS (VmHWM) at that moment
#   deploy    dossier deploy --no-build to a local SeaweedFS (scripts/seaweedfs.sh),
#             first and with nothing to send (skipped without .tools/weed)
#   images    the corpus with images (corpus -images: a lead image per dossier,
#             a portrait for every other actor, 2000×1333 JPEGs): a cold build
#             (no .dossier-cache), warm builds, images per second, against the
#             dossier build of the same corpus without images (own table;
#             BENCH_IMAGE_SIZES, default the first size). Hugo's resizes of
#             the same files: scripts/bench-images.sh
#   reload    dev-server save → live-reload event (generator/serve benchmarks):
#             the example site and a corpus of each size, 20 saves each
# and prints medians and ratios. Raw per-run lines and the table go to
# BENCH_RESULTS too.
#
# Settings (environment):
#   BENCH_SIZES    corpus sizes in dossiers        (default "1000 10000")
#   BENCH_RUNS     runs per tool and size          (default 3)
#   BENCH_BUDGET   seconds: a tool whose first run at a size takes longer is
#                  not repeated at that size, so `make bench` stays within
#                  about 15 minutes on 2 cores     (default 45; 0 = no limit).
#                  dossier's cold and warm builds count apart: a size whose
#                  cold build is over budget still gets a warm one
#
# Raw lines: size tool run wall_s user_s sys_s peak_kb load1, where load1 is
# the 1-minute load average when the run started: on a shared machine other
# work inflates wall and even CPU times, so read the table with it.
#   BENCH_RELOAD_SIZES  corpus sizes for the save → reload benchmark (default BENCH_SIZES)
#   BENCH_MEMORY_LIMIT  MB for extra `dossier build --memory-limit` runs (default 0: none; the
#                       build's own default is 450, so BENCH_MEMORY_LIMIT=100000 shows a build with no aim)
#   BENCH_SEED     corpus seed                     (default 1)
#   BENCH_WORK     work folder                     (default: a new temp folder, removed at the end)
#   BENCH_KEEP=1   keep the work folder (corpora and outputs)
#   BENCH_RESULTS  results file                    (default: $TMPDIR/dossier-bench-<time>.txt)
#   HUGO           the hugo binary                 (default: hugo on PATH)
#   BENCH_HUGO_MAX largest size the equal twin is built with Hugo at (default 10000)
#   PAGEFIND       the pagefind binary             (default: .tools/node_modules/.bin/pagefind, else on PATH)
# BENCH_SIZES="1000 10000 100000" adds the 100,000-dossier run (1.7 GB of
# corpus and up to about 25 GB of outputs in the work folder). A size above
# BENCH_LARGE (default 10000) is large: one cold and one warm dossier build
# and the floor, whatever BENCH_RUNS; no rebuild, serve, deploy or reload
# runs; Hugo (the lite twin and Pagefind, and the equal twin up to
# BENCH_HUGO_MAX) only with BENCH_HUGO_LARGE=1, as it may take hours there.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=${BENCH_SIZES:-"1000 10000"}
MEMORY_LIMIT=${BENCH_MEMORY_LIMIT:-0}
RUNS=${BENCH_RUNS:-3}
BUDGET=${BENCH_BUDGET:-45}
SEED=${BENCH_SEED:-1}
TMP=${TMPDIR:-/tmp}
RESULTS=${BENCH_RESULTS:-$TMP/dossier-bench-$(date +%Y%m%d-%H%M%S).txt}
GO=${GO:-go}

log() { printf '%s\n' "$*" >&2; }
die() { log "bench: $*"; exit 1; }

# /usr/bin/time (Debian package "time") gives peak memory; the shell keyword does not.
TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "installing GNU time (apt-get install -y time)…"
		apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; } || true
	fi
	[ -x "$TIME" ] || die "/usr/bin/time is missing: apt-get install -y time"
fi

# curl polls the dev server for the "serve ready" column.
if ! command -v curl >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "installing curl (apt-get install -y curl)…"
		apt-get install -y curl >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y curl >/dev/null 2>&1; } || true
	fi
	command -v curl >/dev/null || die "curl is missing: apt-get install -y curl"
fi

HUGO=${HUGO:-$(command -v hugo || true)}
HUGO_MAX=${BENCH_HUGO_MAX:-10000}
LARGE=${BENCH_LARGE:-10000}
HUGO_LARGE=${BENCH_HUGO_LARGE:-0}
# large SIZE: a size above BENCH_LARGE (see the settings above).
large() { [ "$1" -gt "$LARGE" ]; }
# hugo_at SIZE: the Hugo twins are built at SIZE.
hugo_at() { [ -n "$HUGO" ] && { ! large "$1" || [ "$HUGO_LARGE" = 1 ]; }; }
PAGEFIND=${PAGEFIND:-$( [ -x "$ROOT/.tools/node_modules/.bin/pagefind" ] && echo "$ROOT/.tools/node_modules/.bin/pagefind" || command -v pagefind || true)}
[ -n "$PAGEFIND" ] || log "bench: pagefind not installed (make tools): Hugo + Pagefind skipped"
HUGO_NOTE=""
if [ -z "$HUGO" ]; then
	HUGO_NOTE="hugo not installed (apt-get install -y hugo): Hugo columns skipped"
	log "bench: $HUGO_NOTE"
fi

WORK=${BENCH_WORK:-$(mktemp -d "$TMP/dossier-bench.XXXXXX")}
mkdir -p "$WORK/bin"
SERVE_PID="" # a running `dossier serve`, stopped on any exit
stop_serve() {
	if [ -n "$SERVE_PID" ]; then
		kill "$SERVE_PID" 2>/dev/null || true
		wait "$SERVE_PID" 2>/dev/null || true
		SERVE_PID=""
	fi
}
WEED_PID="" # a running SeaweedFS store, stopped on any exit
cleanup() {
	stop_serve
	[ -z "$WEED_PID" ] || kill "$WEED_PID" 2>/dev/null || true
	if [ "${BENCH_KEEP:-}" != 1 ] && [ -z "${BENCH_WORK:-}" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building dossier and corpus…"
"$GO" build -o "$WORK/bin/dossier" ./cmd/dossier
"$GO" build -o "$WORK/bin/corpus" ./cmd/corpus
DOSSIER=$WORK/bin/dossier
CORPUS=$WORK/bin/corpus

: >"$RESULTS"
{
	echo "# dossier benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "# commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)')"
	echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
	echo "# $("$GO" version)"
	echo "# hugo: ${HUGO:+$("$HUGO" version 2>/dev/null | sed -n 1p)}${HUGO_NOTE}"
	echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# sizes: $SIZES; runs: $RUNS; budget: ${BUDGET}s; seed: $SEED; large above: $LARGE (Hugo there: $HUGO_LARGE)"
	echo "# size tool run wall_s user_s sys_s peak_kb load1"
} >>"$RESULTS"

# timed SIZE TOOL RUN CMD... runs CMD under /usr/bin/time, appends a raw line
# and prints the wall time.
timed() {
	local size=$1 tool=$2 run=$3
	shift 3
	local tf=$WORK/time.out load
	# Flush what earlier runs wrote (and the removal of their output), so
	# one tool's writeback is not charged to the next.
	sync
	load=$(cut -d' ' -f1 /proc/loadavg)
	if ! "$TIME" -f "%e %U %S %M" -o "$tf" "$@" >"$WORK/cmd.out" 2>&1; then
		cat "$WORK/cmd.out" >&2
		die "$tool failed at $size dossiers: $*"
	fi
	local line
	line=$(tail -1 "$tf")
	echo "$size $tool $run $line $load" >>"$RESULTS"
	log "  $tool run $run: $(echo "$line" | awk -v l="$load" '{printf "%.2fs wall, %.2fs CPU, %d MB peak (load %s)", $1, $2+$3, $4/1024, l}')"
	echo "$line" | cut -d' ' -f1
}

# median SIZE TOOL FIELD: median over the runs of field (4 wall, 5 user,
# 6 sys, 7 peak, "cpu" = user+sys) from the results file.
median() {
	awk -v s="$1" -v t="$2" -v f="$3" '
		$1 == s && $2 == t { v[n++] = (f == "cpu") ? $5 + $6 : $f }
		END {
			if (n == 0) { print "-"; exit }
			for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
			m = (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
			print m
		}' "$RESULTS"
}

# free_port prints a TCP port nothing listens on (serve would move to the
# next free one, and the probe would then ask someone else).
free_port() {
	local p
	for p in $(seq 18313 18413); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	die "no free port in 18313-18413"
}

# serve_ready SIZE RUN SITE HOME: starts dossier serve on SITE, polls until
# its home page answers 200 with the <title> of HOME (the built index.html),
# appends a raw line (wall = seconds from start to ready, user and sys CPU,
# peak RSS so far) and sets READY to the wall time. The server is stopped
# after. Not run in a subshell, so the EXIT trap sees SERVE_PID.
serve_ready() {
	local size=$1 run=$2 site=$3 home=$4
	local port title load start now line ticks
	port=$(free_port)
	title=$(grep -o '<title>[^<]*</title>' "$home" | head -1)
	[ -n "$title" ] || die "no <title> in $home"
	sync
	load=$(cut -d' ' -f1 /proc/loadavg)
	start=$(date +%s.%N)
	"$DOSSIER" serve --source "$site" --port "$port" >"$WORK/serve.out" 2>&1 &
	SERVE_PID=$!
	while :; do
		if curl -sf --max-time 600 -o "$WORK/home.html" "http://127.0.0.1:$port/" 2>/dev/null &&
			grep -qF "$title" "$WORK/home.html"; then
			break
		fi
		if ! kill -0 "$SERVE_PID" 2>/dev/null; then
			cat "$WORK/serve.out" >&2
			stop_serve
			die "dossier serve exited before serving at $size dossiers"
		fi
		sleep 0.05
	done
	now=$(date +%s.%N)
	ticks=$(getconf CLK_TCK)
	# /proc: utime and stime (fields 14 and 15, in ticks) and VmHWM (kB).
	line=$(awk -v a="$start" -v b="$now" -v t="$ticks" -v hwm="$(awk '/^VmHWM/ {print $2}' "/proc/$SERVE_PID/status")" \
		'{ sub(/^.*\) /, ""); printf "%.2f %.2f %.2f %d", b - a, $12 / t, $13 / t, hwm }' "/proc/$SERVE_PID/stat")
	stop_serve
	grep -q "serving on port" "$WORK/serve.out" && die "dossier serve did not get port $port: $(cat "$WORK/serve.out")"
	echo "$size serve $run $line $load" >>"$RESULTS"
	log "  serve run $run: $(echo "$line" | awk -v l="$load" '{printf "ready in %.2fs, %.2fs CPU, %d MB peak (load %s)", $1, $2+$3, $4/1024, l}')"
	READY=${line%% *}
}

# over_budget RUN WALL: the first run took longer than the budget.
over_budget() { [ "$1" = 1 ] && [ "$BUDGET" != 0 ] && awk -v w="$2" -v b="$BUDGET" 'BEGIN { exit !(w > b) }'; }

# deploy_times SIZE DIR BUILT: with SeaweedFS built (.tools/weed, see
# scripts/seaweedfs.sh), starts a local S3 store and times `dossier deploy
# --no-build` of BUILT twice: the first deploy, then one with nothing to send.
DEPLOYS=""
deploy_times() {
	local size=$1 dir=$2 built=$3 weed=$ROOT/.tools/weed
	[ -x "$weed" ] || { DEPLOYS="$DEPLOYS"$'\n'"  $size dossiers: skipped (no .tools/weed: scripts/seaweedfs.sh builds it)"; return; }
	local store=$dir/store s3 args=() ports=() p flag
	export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret
	mkdir -p "$store"
	# Ten distinct free ports: the store takes them only once started.
	for p in $(seq 18420 18620); do
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || ports+=("$p")
		[ "${#ports[@]}" -lt 10 ] || break
	done
	s3=${ports[0]}
	args=(-s3.port="$s3")
	for flag in s3.port.grpc webdav.port master.port master.port.grpc volume.port volume.port.grpc filer.port filer.port.grpc admin.port; do
		args+=("-$flag=${ports[${#args[@]}]}")
	done
	"$weed" mini -dir="$store" -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.telemetry=false -s3.port.iceberg=0 -s3.port.lance=0 \
		-admin.port.legacy=0 -admin.port.grpc=$((s3 + 300)) "${args[@]}" -bucket=site >"$store/log" 2>&1 &
	local pid=$! waited=0
	WEED_PID=$pid
	until curl -s -o /dev/null "http://127.0.0.1:$s3/"; do
		if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -gt 120 ]; then
			tail -5 "$store/log" >&2
			DEPLOYS="$DEPLOYS"$'\n'"  $size dossiers: skipped (SeaweedFS did not start; see above)"
			kill "$pid" 2>/dev/null || true
			return
		fi
		sleep 0.5
		waited=$((waited + 1))
	done
	sleep 2 # the filer answers a little after the gateway
	printf '\n[[deploy.targets]]\nname = "bench"\nurl = "s3://site?endpoint=http://127.0.0.1:%s&region=us-east-1&use_path_style=true"\n' "$s3" >>"$dir/site/dossier.toml"
	local first again url=https://example.org/
	"$DOSSIER" build --source "$dir/site" --dest "$built" --base-url "$url" >/dev/null # a deployed site has an absolute base URL
	first=$(timed "$size" deploy 1 "$DOSSIER" deploy --no-build --source "$dir/site" --dest "$built" --base-url "$url")
	again=$(timed "$size" redeploy 1 "$DOSSIER" deploy --no-build --source "$dir/site" --dest "$built" --base-url "$url")
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
	WEED_PID=""
	DEPLOYS="$DEPLOYS"$'\n'"  $size dossiers to a local SeaweedFS: first deploy $first s, no-change deploy $again s (goal: under 10 s at 10,000)"
}

# out_bytes SIZE TOOL DIR records the bytes of the files under DIR (what
# a host stores; deterministic) and the folder's size on disk (du).
out_bytes() {
	[ -d "$3" ] || return 0
	echo "# out $1 $2 $(find "$3" -type f -printf '%s\n' | awk '{ t += $1 } END { print t + 0 }') $(du -sk "$3" | cut -f1)" >>"$RESULTS"
}

# make_corpus SIZE DIR writes the corpus in dossier's format and as the two
# Hugo twins (the equal one only up to BENCH_HUGO_MAX dossiers).
make_corpus() {
	local size=$1 dir=$2 summary twins=()
	if hugo_at "$size"; then
		twins=(-hugo-lite "$dir/lite")
		[ "$size" -gt "$HUGO_MAX" ] || twins+=(-hugo "$dir/hugo")
	fi
	log "corpus of $size dossiers…"
	summary=$("$CORPUS" -n "$size" -seed "$SEED" -out "$dir/site" "${twins[@]}")
	log "  $summary"
	echo "# corpus: $summary" >>"$RESULTS"
}

# full_builds SIZE DIR times the full builds, interleaved run by run; each
# run writes into a new folder (removing a large output between runs makes
# the file system busy during the next one). A cold dossier build (its
# cache removed) comes before each warm one (the cache the build before
# left), and the budget stops each kind apart. LAST is set to the last
# warm dossier output.
full_builds() {
	local size=$1 dir=$2 run w runs=$RUNS
	declare -A stop=([cold]=0 [dossier]=0 [hugo]=0 [lite]=0 [pagefind]=0 [floor]=0 [limited]=0)
	hugo_at "$size" || { stop[hugo]=1; stop[lite]=1; }
	[ -d "$dir/hugo" ] || stop[hugo]=1
	[ -d "$dir/lite" ] || stop[lite]=1
	[ -n "$PAGEFIND" ] || stop[pagefind]=1
	[ "$MEMORY_LIMIT" != 0 ] || stop[limited]=1
	if large "$size"; then
		runs=1
		stop[limited]=1
	fi
	LAST=""
	for run in $(seq 1 "$runs"); do
		if [ "${stop[cold]}" = 0 ]; then
			rm -rf "$dir/site/.dossier-cache"
			w=$(timed "$size" dossier-cold "$run" "$DOSSIER" build --source "$dir/site" --dest "$dir/out/cold-$run")
			over_budget "$run" "$w" && stop[cold]=1
			[ "$run" != 1 ] || out_bytes "$size" dossier "$dir/out/cold-$run"
			! large "$size" || rm -rf "$dir/out/cold-$run" # disk: the warm build writes the same files
		fi
		if [ "${stop[dossier]}" = 0 ]; then
			LAST=$dir/out/dossier-$run
			w=$(timed "$size" dossier "$run" "$DOSSIER" build --source "$dir/site" --dest "$LAST")
			over_budget "$run" "$w" && stop[dossier]=1
		fi
		if [ "${stop[hugo]}" = 0 ]; then
			w=$(timed "$size" hugo "$run" "$HUGO" --quiet --source "$dir/hugo" --destination "$dir/out/hugo-$run" --cacheDir "$WORK/hugo-cache")
			over_budget "$run" "$w" && stop[hugo]=1
			[ "$run" != 1 ] || out_bytes "$size" hugo "$dir/out/hugo-$run"
		fi
		if [ "${stop[lite]}" = 0 ]; then
			w=$(timed "$size" lite "$run" "$HUGO" --quiet --source "$dir/lite" --destination "$dir/out/lite-$run" --cacheDir "$WORK/hugo-cache-lite")
			over_budget "$run" "$w" && stop[lite]=1
			if [ "${stop[pagefind]}" = 0 ]; then
				w=$(timed "$size" pagefind "$run" "$PAGEFIND" --site "$dir/out/lite-$run")
				over_budget "$run" "$w" && stop[pagefind]=1
			fi
			[ "$run" != 1 ] || out_bytes "$size" lite "$dir/out/lite-$run"
		fi
		if [ "${stop[floor]}" = 0 ] && [ -n "$LAST" ]; then
			w=$(timed "$size" floor "$run" "$CORPUS" bare -like "$LAST" "$dir/site" "$dir/out/floor-$run")
			over_budget "$run" "$w" && stop[floor]=1
		fi
		if [ "${stop[limited]}" = 0 ]; then
			w=$(timed "$size" limited "$run" "$DOSSIER" build --source "$dir/site" --dest "$dir/out/limited-$run" --memory-limit "$MEMORY_LIMIT")
			over_budget "$run" "$w" && stop[limited]=1
		fi
	done
	return 0 # not the status of the last test above
}

# cached_rebuilds SIZE DIR: a one-line edit of one dossier, then a build
# into the folder of the last build, which its build cache describes (an
# untimed build first makes it so: the builds since wrote elsewhere).
cached_rebuilds() {
	local size=$1 dir=$2 run w edited
	"$DOSSIER" build --source "$dir/site" --dest "$LAST" >/dev/null 2>&1
	edited=$(find "$dir/site/content/dossiers" -name index.md | LC_ALL=C sort | sed -n 1p)
	for run in $(seq 1 "$RUNS"); do
		printf '\nUne phrase ajoutée pour la mesure %s.\n' "$run" >>"$edited"
		w=$(timed "$size" rebuild "$run" "$DOSSIER" build --source "$dir/site" --dest "$LAST")
		over_budget "$run" "$w" && break
	done
	return 0 # not the status of the last test above
}

# image_times SIZE DIR: builds of the corpus with images (in BENCH_IMAGE_SIZES):
# one cold (an empty image cache), then warm ones; their table is image_table.
IMAGE_SIZES=${BENCH_IMAGE_SIZES:-${SIZES%% *}}
image_times() {
	local size=$1 dir=$2 run w
	case " $IMAGE_SIZES " in *" $size "*) ;; *) return 0 ;; esac
	log "corpus of $size dossiers with images…"
	"$CORPUS" -n "$size" -seed "$SEED" -images -out "$dir/img-site" >/dev/null
	find "$dir/img-site/content" -name '*.jpg' | wc -l | sed "s/^/$size images-count 1 /" >>"$RESULTS"
	rm -rf "$dir/img-site/.dossier-cache"
	timed "$size" img-cold 1 "$DOSSIER" build --source "$dir/img-site" --dest "$dir/out/img-cold" >/dev/null
	for run in $(seq 1 "$RUNS"); do
		w=$(timed "$size" img-warm "$run" "$DOSSIER" build --source "$dir/img-site" --dest "$dir/out/img-warm-$run")
		over_budget "$run" "$w" && break
	done
	rm -rf "$dir/img-site"
}
image_table() {
	local size n cold warm plain
	echo
	echo "| size | images | cold build s | images/s (cold) | warm build s (median) | without images s | warm/without (goal ≤ 1.10) |"
	echo "|---:|---:|---:|---:|---:|---:|---:|"
	for size in $IMAGE_SIZES; do
		n=$(awk -v s="$size" '$1 == s && $2 == "images-count" { print $4 }' "$RESULTS")
		cold=$(median "$size" img-cold 4) warm=$(median "$size" img-warm 4) plain=$(median "$size" dossier 4)
		echo "| $size | ${n:--} | $(num "$cold") | $(ratio "${n:--}" "$cold") | $(num "$warm") | $(num "$plain") | $(ratio "$warm" "$plain") |"
	done
}

for size in $SIZES; do
	dir=$WORK/$size
	rm -rf "$dir"
	mkdir -p "$dir"
	make_corpus "$size" "$dir"
	full_builds "$size" "$dir"
	if large "$size"; then
		rm -rf "$dir/out"
		[ "${BENCH_KEEP:-}" = 1 ] || rm -rf "$dir"
		continue
	fi
	cached_rebuilds "$size" "$dir"
	# Dev server: from start until the home page is served (it builds in
	# memory first).
	for run in $(seq 1 "$RUNS"); do
		serve_ready "$size" "$run" "$dir/site" "$LAST/index.html"
		over_budget "$run" "$READY" && break
	done
	deploy_times "$size" "$dir" "$LAST"
	image_times "$size" "$dir"
	rm -rf "$dir/out"
	[ "${BENCH_KEEP:-}" = 1 ] || rm -rf "$dir"
done

# Watch-mode reload: one-line saves to one dossier, from the file write to
# the live-reload event, in the dev server (generator/serve benchmarks): the
# example site, then a generated corpus of each size (20 saves each;
# BENCH_RELOAD_SIZES, default the corpus sizes).
reload_line() { # prints "name: ms/op, metric value, …" for each result line
	awk '/^BenchmarkSaveToReload/ {
		printf "\n  %s%s: %.1f ms/op", $1, size, $3 / 1e6
		for (i = 5; i < NF; i += 2) printf ", %s %s", $i, $(i + 1)
	}' size="$1"
}
reload=""
if [ -d generator/serve ] && "$GO" test -list 'BenchmarkSaveToReload' ./generator/serve 2>/dev/null | grep '^BenchmarkSaveToReload' >/dev/null; then
	log "watch mode: save → reload on the example site…"
	if out=$("$GO" test -run X -bench 'BenchmarkSaveToReload$' ./generator/serve 2>&1); then
		reload="$reload$(echo "$out" | reload_line "")"
	else
		reload="$reload"$'\n'"  example site: benchmark failed: $(echo "$out" | tail -1)"
	fi
	reload_sizes=${BENCH_RELOAD_SIZES:-$(for s in $SIZES; do large "$s" || echo "$s"; done)}
	for size in $reload_sizes; do
		log "watch mode: save → reload at $size dossiers (20 saves)…"
		if out=$(DOSSIER_BENCH_DOSSIERS=$size "$GO" test -run X -bench 'BenchmarkSaveToReloadLarge$' -benchtime 20x -timeout 30m ./generator/serve 2>&1); then
			reload="$reload$(echo "$out" | reload_line " ($size dossiers)")"
		else
			reload="$reload"$'\n'"  $size dossiers: benchmark failed: $(echo "$out" | tail -1)"
		fi
	done
fi
[ -n "$reload" ] || reload="n/a (no BenchmarkSaveToReload in ./generator/serve)"

# The table.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { if (k == "-") print "-"; else printf "%.0f", k / 1024 }'; }
num() { awk -v x="$1" 'BEGIN { if (x == "-") print "-"; else printf "%.2f", x }'; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.2f", a + b }'; }
# outmb SIZE TOOL FIELD: MB of a tool's output (5: file bytes, 6: on disk).
outmb() {
	awk -v s="$1" -v t="$2" -v f="$3" '$1 == "#" && $2 == "out" && $3 == s && $4 == t { v = (f == 5) ? $5 / 1e6 : $6 / 1024 }
		END { if (v == "") print "-"; else printf "%.0f", v }' "$RESULTS"
}
# hugo_table prints dossier against the lite Hugo twin, Hugo + Pagefind, the
# equal twin and the floor, and the output sizes.
hugo_table() {
	local size d l p lp
	echo
	echo "| size | hugo lite s | lite CPU s | lite peak MB | pagefind s | hugo lite + pagefind s | dossier/lite | dossier/(lite + pagefind) | hugo equal/dossier | dossier/floor (target ≤ 1.5) | output MB: dossier | on disk | hugo equal | hugo lite (+ pagefind) |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for size in $SIZES; do
		d=$(median "$size" dossier 4) l=$(median "$size" lite 4) p=$(median "$size" pagefind 4)
		lp=$(sum "$l" "$p")
		echo "| $size | $(num "$l") | $(num "$(median "$size" lite cpu)") | $(mb "$(median "$size" lite 7)") | $(num "$p") | $lp | $(ratio "$d" "$l") | $(ratio "$d" "$lp") | $(ratio "$(median "$size" hugo 4)" "$d") | $(ratio "$d" "$(median "$size" floor 4)") | $(outmb "$size" dossier 5) | $(outmb "$size" dossier 6) | $(outmb "$size" hugo 5) | $(outmb "$size" lite 5) |"
	done
}
{
	echo
	echo "| size | dossier cold s | cold CPU s | cold peak MB | dossier warm s (median) | warm CPU s | warm peak MB | hugo s | hugo CPU s | hugo peak MB | floor s | hugo/dossier warm | dossier warm/floor | cached rebuild s | serve ready s | serve/warm build | serve peak MB |"
	echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	prev_size="" prev_time="" prev_cold=""
	scaling=""
	for size in $SIZES; do
		c=$(median "$size" dossier-cold 4)
		d=$(median "$size" dossier 4)
		h=$(median "$size" hugo 4)
		f=$(median "$size" floor 4)
		echo "| $size | $(num "$c") | $(num "$(median "$size" dossier-cold cpu)") | $(mb "$(median "$size" dossier-cold 7)") | $(num "$d") | $(num "$(median "$size" dossier cpu)") | $(mb "$(median "$size" dossier 7)") | $(num "$h") | $(num "$(median "$size" hugo cpu)") | $(mb "$(median "$size" hugo 7)") | $(num "$f") | $(ratio "$h" "$d") | $(ratio "$d" "$f") | $(num "$(median "$size" rebuild 4)") | $(num "$(median "$size" serve 4)") | $(ratio "$(median "$size" serve 4)" "$d") | $(mb "$(median "$size" serve 7)") |"
		if [ -n "$prev_size" ]; then
			scaling="$scaling$(awk -v a="$prev_size" -v b="$size" -v ta="$prev_time" -v tb="$d" -v ca="$prev_cold" -v cb="$c" 'function x(p, q) { return (p == "-" || q == "-" || p == 0) ? "-" : sprintf("%.2f", q / p) }
				BEGIN { printf "scaling %d → %d dossiers (%.0f×): dossier warm build time × %s, cold × %s (target ≤ %.1f×)\n", a, b, b / a, x(ta, tb), x(ca, cb), 1.1 * b / a }')"$'\n'
		fi
		prev_size=$size prev_time=$d prev_cold=$c
	done
	hugo_table
	if [ "$MEMORY_LIMIT" != 0 ]; then
		echo
		echo "| size | dossier --memory-limit $MEMORY_LIMIT s (median) | CPU s | peak MB | CPU / default's |"
		echo "|---:|---:|---:|---:|---:|"
		for size in $SIZES; do
			echo "| $size | $(num "$(median "$size" limited 4)") | $(num "$(median "$size" limited cpu)") | $(mb "$(median "$size" limited 7)") | $(ratio "$(median "$size" limited cpu)" "$(median "$size" dossier cpu)") |"
		done
	fi
	echo
	printf '%s' "$scaling"
	echo "floor: the same-output floor (bare goldmark renders the Markdown, then a file of the same size is written at every path of dossier's output); cached rebuild: dossier build after a one-line edit, into the folder its build cache describes"
	echo "serve ready: from starting dossier serve until its home page answers 200 (target: under 2× a full build); serve peak MB: its peak RSS then"
	echo "dossier cold: an empty .dossier-cache (every social card drawn, every file parsed); warm: the cache the build before left, into a new folder (every page made and written)"
	echo "runs per cell: up to $RUNS (a tool is not repeated at a size once its first run exceeds ${BUDGET}s; dossier's cold and warm builds apart); one at sizes above $LARGE; times are wall seconds, CPU = user + system"
	awk '$1 ~ /^[0-9]+$/ && NF >= 8 { if (min == "" || $8 < min) min = $8; if ($8 > max) max = $8 }
		END { if (min != "") printf "1-minute load average at the start of runs: %s to %s (%s cores; above that, other work competes)\n", min, max, cores }' cores="$(nproc)" "$RESULTS"
	[ -z "$HUGO_NOTE" ] || echo "note: $HUGO_NOTE"
	echo "watch-mode save → reload: $reload"
	echo "deploy (dossier deploy --no-build):${DEPLOYS:- n/a}"
	image_table
	echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "raw results: $RESULTS"
} | tee -a "$RESULTS"
