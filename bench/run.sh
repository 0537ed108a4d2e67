#!/usr/bin/env bash
# npm run bench — Loadex beside what a user would pick instead, in one run, on loopback only.
#
# Five nginx backends (127.0.0.1:9301-9305; falls back to five demo backends when nginx is
# missing), then for each front in turn: start, warm up, wrk at each connection count, stop.
# Rounds interleave the fronts, so same-round ratios hold while the machine drifts. Prints the
# median of each cell, plus Loadex's ratio to node-raw, its RSS and new backend connections per
# request. Every wrk run is bounded by -d; only processes started here are stopped.
#
# undici-bare and hpm-bare are Loadex's two forwarding engines alone (bench/undici-bare.js,
# bench/hpm-bare.js): the ceilings Loadex can reach. loadex runs the default engine (undici),
# loadex-hpm the same build with --engine hpm.
#
#   ROUNDS=3 DURATION=10s CONNS="50 256" FRONTS="direct nginx haproxy node-raw undici-bare loadex hpm-bare loadex-hpm" npm run bench
#   LOADEX_ALGO=leastconnection npm run bench
set -uo pipefail
cd "$(dirname "$0")/.."
BENCH=$PWD/bench
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNS=${CONNS:-"50 256"}
LOADEX_ALGO=${LOADEX_ALGO:-roundrobin}
RUN=${RUN_DIR:-/tmp/loadex-bench/$(date +%Y%m%d-%H%M%S)}
BACKENDS=http://127.0.0.1:9301,http://127.0.0.1:9302,http://127.0.0.1:9303,http://127.0.0.1:9304,http://127.0.0.1:9305
mkdir -p "$RUN/logs" "$RUN/tmp"
declare -a PIDS=()
log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
trap 'exit 130' INT TERM

have() { command -v "$1" >/dev/null; }
default_fronts="direct"
have nginx && default_fronts+=" nginx"
have haproxy && default_fronts+=" haproxy"
default_fronts+=" node-raw undici-bare loadex hpm-bare loadex-hpm"
FRONTS=${FRONTS:-$default_fronts}

node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 24)) || log "warning: node $(node -v) on PATH; Loadex targets Node 24 (export PATH=\"\$HOME/.node24/bin:\$PATH\")"
[[ -f dist/apps/balancer/main.js ]] || { log "building first"; npm run build >/dev/null || exit 1; }

wait_200() { # url — bounded: 100 x 0.1 s
  for _ in $(seq 100); do [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1") == 200 ]] && return 0; sleep 0.1; done
  return 1
}

# ---- load generator: wrk, or autocannon from npx where wrk is missing
load() { # url conns duration -> "rps p50_ms p99_ms non2xx sockerr"
  local url=$1 c=$2 d=$3 out
  if have wrk; then
    out=$(wrk -t1 -c"$c" -d"$d" --latency -s "$BENCH/wrk-report.lua" "$url" 2>&1 | grep '^RESULT ')
    echo "${out#RESULT }"
  else
    npx --yes autocannon -c "$c" -d "${d%s}" -j "$url" 2>/dev/null |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(r.requests.average,r.latency.p50,r.latency.p99,r.non2xx,r.errors+r.timeouts)})'
  fi
}

# ---- backends
NGINX_BACKENDS=0
if have nginx; then
  nginx -p "$RUN/" -c "$BENCH/nginx-backends.conf" >"$RUN/logs/backends.out" 2>&1 &
  PIDS+=($!); NGINX_BACKENDS=1
else
  log "nginx not installed: using five demo backends (slower; ratios still hold within a run)"
  for p in 9301 9302 9303 9304 9305; do node dist/apps/backend/main.js --port $p >"$RUN/logs/backend-$p.out" 2>&1 & PIDS+=($!); done
fi
for p in 9301 9302 9303 9304 9305; do wait_200 "http://127.0.0.1:$p/health" || { log "backend $p did not start"; exit 1; }; done
backend_conns() { ((NGINX_BACKENDS)) && curl -s http://127.0.0.1:9309/stub_status | awk 'NR==3 {print $1, $3}' || echo "0 0"; }

front_url() { case $1 in direct) echo http://127.0.0.1:9301/ ;; nginx) echo http://127.0.0.1:9310/ ;; haproxy) echo http://127.0.0.1:9311/ ;; node-raw) echo http://127.0.0.1:9312/ ;; hpm-bare) echo http://127.0.0.1:9314/ ;; undici-bare) echo http://127.0.0.1:9315/ ;; loadex) echo http://127.0.0.1:9313/ ;; loadex-hpm) echo http://127.0.0.1:9316/ ;; esac; }
start_front() { # front -> sets FRONT_PID
  FRONT_PID=""
  case $1 in
    direct) return 0 ;;
    nginx) nginx -p "$RUN/" -c "$BENCH/nginx-lb.conf" >"$RUN/logs/nginx-lb.out" 2>&1 & FRONT_PID=$! ;;
    haproxy) haproxy -db -f "$BENCH/haproxy-lb.cfg" >"$RUN/logs/haproxy.out" 2>&1 & FRONT_PID=$! ;;
    node-raw) node "$BENCH/node-raw.js" >"$RUN/logs/node-raw.out" 2>&1 & FRONT_PID=$! ;;
    hpm-bare) node "$BENCH/hpm-bare.js" >"$RUN/logs/hpm-bare.out" 2>&1 & FRONT_PID=$! ;;
    undici-bare) node "$BENCH/undici-bare.js" >"$RUN/logs/undici-bare.out" 2>&1 & FRONT_PID=$! ;;
    loadex) node dist/apps/balancer/main.js --host 127.0.0.1 --port 9313 --backends "$BACKENDS" --algo "$LOADEX_ALGO" --engine undici --log-level warn >"$RUN/logs/loadex.out" 2>&1 & FRONT_PID=$! ;;
    loadex-hpm) node dist/apps/balancer/main.js --host 127.0.0.1 --port 9316 --backends "$BACKENDS" --algo "$LOADEX_ALGO" --engine hpm --log-level warn >"$RUN/logs/loadex-hpm.out" 2>&1 & FRONT_PID=$! ;;
  esac
  PIDS+=("$FRONT_PID")
  wait_200 "$(front_url "$1")" || { log "$1 did not answer"; exit 1; }
}
proxy_pid() { [[ $1 == nginx ]] && pgrep -P "$FRONT_PID" | head -1 || echo "$FRONT_PID"; }
stop_front() { [[ -n $FRONT_PID ]] && { kill "$FRONT_PID" 2>/dev/null; wait "$FRONT_PID" 2>/dev/null; }; FRONT_PID=""; }

: >"$RUN/results.tsv"
for ((r = 1; r <= ROUNDS; r++)); do
  for f in $FRONTS; do
    start_front "$f"
    url=$(front_url "$f")
    load "$url" 50 "$WARMUP" >/dev/null
    for c in $CONNS; do
      b0=$(backend_conns)
      read -r rps p50 p99 non2xx sock <<<"$(load "$url" "$c" "$DURATION")"
      b1=$(backend_conns)
      rss=-; pp=$(proxy_pid "$f"); [[ -n $pp ]] && rss=$(awk '/^VmRSS:/ {printf "%.0f", $2/1024}' "/proc/$pp/status" 2>/dev/null)
      conns=$(( ${b1% *} - ${b0% *} )); reqs=$(( ${b1#* } - ${b0#* } ))
      per=$(awk -v c="$conns" -v q="$reqs" 'BEGIN{ if (q>0) printf "%.4f", c/q; else print "-" }')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$f" "$c" "$rps" "$p50" "$p99" "$non2xx" "$sock" "${rss:--}" "$per" >>"$RUN/results.tsv"
      log "round $r $f c=$c rps=$rps p50=${p50}ms p99=${p99}ms non2xx=$non2xx sockerr=$sock rss=${rss}MiB newconn/req=$per"
    done
    stop_front
    sleep 1
  done
done

median() { sort -g | awk '{a[NR]=$1} END{ if (NR==0) {print "-"; exit} print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2) }'; }
cell() { awk -F'\t' -v f="$1" -v c="$2" -v k="$3" '$2==f && $3==c {print $k}' "$RUN/results.tsv" | median; }
sum() { awk -F'\t' -v f="$1" -v c="$2" -v k="$3" '$2==f && $3==c {s+=$k} END{print s+0}' "$RUN/results.tsv"; }
echo
echo "Loadex bench — $(date -u +%Y-%m-%dT%H:%M:%SZ) — $(nproc) cores, node $(node -v), algo $LOADEX_ALGO"
echo "medians of $ROUNDS interleaved rounds, $DURATION each; errors summed over rounds"
printf '%-11s %5s %9s %9s %9s %10s %7s %12s %10s\n' front conns RPS "p50 ms" "p99 ms" "non2xx/err" "RSS MiB" "newconn/req" "vs node-raw"
for f in $FRONTS; do
  for c in $CONNS; do
    rps=$(cell "$f" "$c" 4); raw=$(cell node-raw "$c" 4)
    ratio=$(awk -v a="$rps" -v b="$raw" 'BEGIN{ if (b+0>0) printf "%.2fx", a/b; else print "-" }')
    printf '%-11s %5s %9.0f %9s %9s %10s %7s %12s %10s\n' "$f" "$c" "$rps" "$(cell "$f" "$c" 5)" "$(cell "$f" "$c" 6)" \
      "$(sum "$f" "$c" 7)/$(sum "$f" "$c" 8)" "$(cell "$f" "$c" 9)" "$(cell "$f" "$c" 10)" "$ratio"
  done
done
echo "raw rows: $RUN/results.tsv"
