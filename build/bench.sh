#!/usr/bin/env bash
# make bench: cached-hit throughput and latency of our cache against nginx, Varnish and Apache Traffic
# Server, each configured as its experts would for this job, all on loopback in front of one origin.
#
#   BENCH_SKIP_OURS=1      leave our cache out (only while src/EdgeFleet.Cache cannot serve yet)
#   BENCH_SYSTEMS="..."    subset of: ours nginx varnish trafficserver (default all)
#   BENCH_DURATION=5       seconds per wrk run
#   BENCH_REPEATS=3        runs per measurement; the median is reported
#   BENCH_LOADS="1:64 2:256"  wrk threads:connections pairs
#   BENCH_SIZES="1k 64k 1m"   object sizes to measure (a subset of those three)
#   BENCH_WARMUP=2         seconds of wrk load per size and load before measuring, every system alike
#
# Every measurement is repeated, and the systems are interleaved (one run of each system in turn), so
# that drift on a shared machine spreads over all of them. During a run the other caches are stopped
# (SIGSTOP), so only the measured one and wrk share the cores. Before measuring, each cache is warmed and must
# prove it serves hits: the origin's access log must not grow while the cache answers. The origin's log is
# also read around every run, and runs that reached the origin are flagged. wrk, the origin and the caches
# share the machine's cores: the numbers compare the caches with each other, they are not capacity figures.
#
# Output: a table (median req/s, MB/s, p99, the spread of req/s over the repeats, CPU time per request,
# how busy wrk's threads and the machine were and ours ÷ each other system), peak RSS per cache (VmHWM
# summed over its processes) and artifacts/bench.json.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-5}
repeats=${BENCH_REPEATS:-3}
read -r -a loads <<<"${BENCH_LOADS:-1:64 2:256}"
read -r -a systems <<<"${BENCH_SYSTEMS:-ours nginx varnish trafficserver}"
read -r -a sizes <<<"${BENCH_SIZES:-1k 64k 1m}"
for size in "${sizes[@]}"; do
  case $size in
    1k | 64k | 1m) ;;
    *)
      echo "bench: BENCH_SIZES: unknown size '$size' (1k, 64k and 1m are served)" >&2
      exit 2
      ;;
  esac
done
if [ "${BENCH_SKIP_OURS:-0}" = 1 ]; then
  echo "bench: BENCH_SKIP_OURS=1: our cache is left out; ratios to it are not computed"
  read -r -a systems <<<"$(printf '%s\n' "${systems[@]}" | grep -vx ours | tr '\n' ' ')"
fi

# shellcheck source=build/lib.sh
source build/lib.sh

# --- tools -----------------------------------------------------------------------------------------
need=()
command -v nginx >/dev/null || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
for system in "${systems[@]}"; do
  case $system in
    varnish) command -v varnishd >/dev/null || need+=(varnish) ;;
    trafficserver) command -v traffic_server >/dev/null || need+=(trafficserver) ;;
  esac
done
install_packages bench "${need[@]}"

ours_dll=src/EdgeFleet.Cache/bin/Release/net10.0/EdgeFleet.Cache.dll
if printf '%s\n' "${systems[@]}" | grep -qx ours; then
  echo "bench: building src/EdgeFleet.Cache in Release"
  if ! build_log=$(dotnet build -c Release src/EdgeFleet.Cache/EdgeFleet.Cache.csproj -nologo -v q 2>&1); then
    echo "$build_log" >&2
    echo "bench: the Release build of our cache failed (BENCH_SKIP_OURS=1 leaves it out)" >&2
    exit 1
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
shm_dir=""
trap 'thaw_all; stop_all; [ -z "$shm_dir" ] || rm -rf "$shm_dir"' EXIT
declare -A port pgid hit_header

# freeze_others <system>: stops every other cache (SIGSTOP to its process group) for the length of a
# run, so their housekeeping (timers, pollers, idle threads waking) does not share the cores with the
# one being measured; each is measured as if alone with wrk. thaw_all resumes them all.
freeze_others() {
  local other
  for other in "${!pgid[@]}"; do
    [ "$other" = "$1" ] || kill -STOP -- "-${pgid[$other]}" 2>/dev/null || true
  done
}
thaw_all() {
  local other
  for other in "${!pgid[@]}"; do
    kill -CONT -- "-${pgid[$other]}" 2>/dev/null || true
  done
}

# --- origin: nginx serving three static files ------------------------------------------------------
# Objects are fresh for a day, so every cache stores them; the origin logs each request it serves, which
# is how the script knows a cache answered from storage.
mkdir -p "$work/origin/www" "$work/origin/temp"
head -c 1024 /dev/urandom >"$work/origin/www/1k.bin"
head -c 65536 /dev/urandom >"$work/origin/www/64k.bin"
head -c 1048576 /dev/urandom >"$work/origin/www/1m.bin"
origin_port=$(free_port)
{
  nginx_main "$work/origin"
  cat <<NGINX
worker_processes 1;
events { worker_connections 4096; }
http {
  access_log $work/origin/access.log;
$(nginx_temp_paths "$work/origin")
  sendfile on;
  keepalive_requests 100000;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$origin_port;
    root $work/origin/www;
    add_header Cache-Control "public, max-age=86400";
  }
}
NGINX
} >"$work/origin/nginx.conf"
start "$work/origin/stdout.log" nginx -p "$work/origin/" -c "$work/origin/nginx.conf"
wait_http "the origin (nginx)" "http://127.0.0.1:$origin_port/1k.bin" 20 "$work/origin/stdout.log"
origin_requests() { wc -l <"$work/origin/access.log"; }

# --- the caches ------------------------------------------------------------------------------------
# launch <system> <hit-header-regex or ""> <seconds to start> <log> <command...>: starts a cache and waits
# until it answers.
launch() {
  local system=$1 header=$2 seconds=$3 log=$4
  shift 4
  start "$log" "$@"
  pgid[$system]=${pids[-1]}
  hit_header[$system]=$header
  wait_http "$system" "http://127.0.0.1:${port[$system]}/1k.bin" "$seconds" "$log"
}

start_ours() {
  local admin
  port[ours]=$(free_port)
  admin=$(free_port)
  if [ ! -f "$ours_dll" ]; then
    echo "bench: $ours_dll is missing after the build" >&2
    exit 1
  fi
  # The memory tier sized like the others' RAM caches; the program's own defaults otherwise.
  launch ours "cache-status: .*hit" 60 "$work/ours.log" dotnet "$ours_dll" --origin "http://127.0.0.1:$origin_port" \
    --listen "http://127.0.0.1:${port[ours]}" --admin-listen "http://127.0.0.1:$admin" --memory-size 2GiB
}

start_nginx() {
  local dir=$work/nginx
  port[nginx]=$(free_port)
  mkdir -p "$dir/temp"
  # proxy_cache keeps bodies in files and serves hits with sendfile from the page cache; on tmpfs those
  # files are memory, like the other caches' RAM storage.
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    shm_dir=$(mktemp -d /dev/shm/bench-nginx.XXXXXX)
    ln -s "$shm_dir" "$dir/cache"
  fi
  {
    nginx_main "$dir"
    cat <<NGINX
# One worker per core, each with its own accept queue (reuseport below), no lock around accept.
worker_processes auto;
worker_rlimit_nofile 65536;
events {
  worker_connections 16384;
  multi_accept on;
}
http {
  # No access log: the other caches log nothing either, and the disk write is per request.
  access_log off;
$(nginx_temp_paths "$dir")
  # Hits go from the cache file to the socket in the kernel (sendfile), and the last partial segment of a
  # response leaves at once (tcp_nodelay). tcp_nopush (TCP_CORK) stays off: measured here, it cut 64 KiB
  # hits at 64 connections to a quarter of the rate (each response's tail waited on the cork) and did not
  # help 1 KiB or 1 MiB hits.
  sendfile on;
  tcp_nopush off;
  tcp_nodelay on;
  # Clients keep their connections: a CDN edge serves many requests per connection.
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  # Cache file descriptors of hot cache files instead of open()/fstat() per hit.
  open_file_cache max=10000 inactive=60s;
  open_file_cache_valid 60s;
  open_file_cache_min_uses 1;
  open_file_cache_errors on;
  # 64 MiB of keys (about 500k objects) and 2 GiB of bodies; files written in place (use_temp_path=off).
  proxy_cache_path $dir/cache levels=1:2 keys_zone=bench:64m max_size=2g inactive=1h use_temp_path=off;
  # Keep-alive to the origin (HTTP/1.1, no Connection: close) so misses do not pay a handshake.
  upstream origin {
    server 127.0.0.1:$origin_port;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port[nginx]} reuseport backlog=4096;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache bench;
      # One fill per key at a time (request collapsing), revalidation with conditional requests.
      proxy_cache_lock on;
      proxy_cache_revalidate on;
      proxy_cache_use_stale updating error timeout;
      add_header X-Cache-Status \$upstream_cache_status;
    }
  }
}
NGINX
  } >"$dir/nginx.conf"
  launch nginx "x-cache-status: hit" 20 "$dir/stdout.log" nginx -p "$dir/" -c "$dir/nginx.conf"
}

start_varnish() {
  local dir=$work/varnish
  port[varnish]=$(free_port)
  mkdir -p "$dir"
  cat >"$dir/bench.vcl" <<VCL
vcl 4.1;

# Keep-alive connections to the origin are pooled by Varnish itself.
backend origin {
  .host = "127.0.0.1";
  .port = "$origin_port";
}

# Marks hits so the script can check that the cache answers from storage.
sub vcl_deliver {
  if (obj.hits > 0) {
    set resp.http.X-Cache = "HIT";
  } else {
    set resp.http.X-Cache = "MISS";
  }
}
VCL
  # -s malloc: objects in memory, 2 GiB like the others' RAM caches.
  # thread_pools=2: one pool per core. thread_pool_min=200: a worker per connection is already running at
  # -c256 instead of being created under load; thread_pool_max=5000 leaves room to spare.
  # -j none: no privilege separation, so the temp dir needs no ownership changes (bench only).
  launch varnish "x-cache: hit" 30 "$dir/stdout.log" varnishd -F -j none -n "$dir/state" \
    -a "127.0.0.1:${port[varnish]}" -f "$dir/bench.vcl" -s malloc,2G \
    -p thread_pools=2 -p thread_pool_min=200 -p thread_pool_max=5000 -p timeout_idle=75
}

start_trafficserver() {
  local dir=$work/trafficserver
  port[trafficserver]=$(free_port)
  mkdir -p "$dir/etc" "$dir/cache" "$dir/run" "$dir/log" "$dir/var"
  cp -r /etc/trafficserver/. "$dir/etc/"
  # A runroot that keeps configuration, cache, logs and sockets in the temp dir; binaries from /usr.
  cat >"$dir/runroot.yaml" <<YAML
prefix: /usr
exec_prefix: /usr
bindir: /usr/bin
sbindir: /usr/sbin
includedir: /usr/include
libdir: /usr/lib/trafficserver
libexecdir: /usr/lib/trafficserver/modules
sysconfdir: $dir/etc
datadir: $dir/cache
localstatedir: $dir/var
runtimedir: $dir/run
logdir: $dir/log
cachedir: $dir/cache
YAML
  # Traffic Server refuses to serve as root; it switches to its own user, which must reach the temp dir.
  local ats_user
  ats_user=$(id -un)
  if [ "$ats_user" = root ]; then
    ats_user=trafficserver
    chmod 711 "$work"
    chown -R "$ats_user:" "$dir"
  fi
  # Settings below replace the Debian defaults of the same names.
  local overrides
  overrides=$(cat <<RECORDS
CONFIG proxy.config.http.server_ports STRING ${port[trafficserver]}:ip-in=127.0.0.1
CONFIG proxy.config.admin.user_id STRING $ats_user
CONFIG proxy.config.reverse_proxy.enabled INT 1
CONFIG proxy.config.url_remap.remap_required INT 1
CONFIG proxy.config.http.cache.http INT 1
CONFIG proxy.config.exec_thread.autoconfig INT 1
CONFIG proxy.config.exec_thread.autoconfig.scale FLOAT 1.0
CONFIG proxy.config.exec_thread.limit INT 2
CONFIG proxy.config.exec_thread.affinity INT 1
CONFIG proxy.config.accept_threads INT 0
CONFIG proxy.config.cache.ram_cache.size INT 2147483648
CONFIG proxy.config.cache.ram_cache_cutoff INT 4194304
CONFIG proxy.config.log.logging_enabled INT 0
CONFIG proxy.config.http.keep_alive_no_activity_timeout_in INT 75
CONFIG proxy.config.net.connections_throttle INT 30000
RECORDS
)
  # One event thread per core (autoconfig, scale 1.0), pinned (affinity); accepts done on the event
  # threads (accept_threads 0) instead of a separate thread. Seen in /proc during the runs: one event
  # thread accepts, and serves, every connection while the other idles. Spreading them
  # (exec_thread.listen 1: each event thread listens with SO_REUSEPORT) kept both threads busy but was
  # no faster: over two paired runs, level at 1 KiB and 64 KiB with 64 connections and 5-10 % slower at
  # 256 connections and for 1 MiB objects. The faster setting stays.
  # RAM cache of 2 GiB in front of the disk cache, holding objects up to 4 MiB (the 1 MiB object is
  # served from RAM). No access log, like the others. Every request needs a remap rule (reverse proxy
  # only, no open proxy).
  {
    grep -v -F -f <(echo "$overrides" | awk '{print $2" "}') /etc/trafficserver/records.config
    echo "$overrides"
  } >"$dir/etc/records.config"
  echo "map http://127.0.0.1:${port[trafficserver]}/ http://127.0.0.1:$origin_port/" >"$dir/etc/remap.config"
  # The disk cache is a file in the temp dir; hits come from the RAM cache in front of it.
  echo "$dir/cache 512M" >"$dir/etc/storage.config"
  # No hit header by default: the origin's access log is the proof of hits.
  launch trafficserver "" 60 "$dir/stdout.log" traffic_server --run-root="$dir/runroot.yaml"
}

# warm_and_verify <system>: fills every object, then requires three more requests of each to leave the
# origin untouched (and to carry the system's hit header, where it has one).
warm_and_verify() {
  local system=$1 size attempt before headers url
  for size in "${sizes[@]}"; do
    url="http://127.0.0.1:${port[$system]}/$size.bin"
    for attempt in 1 2 3 4 5; do
      curl -s -o /dev/null "$url"
      sleep 0.3
      before=$(origin_requests)
      headers=$(curl -s -D - -o /dev/null "$url"; curl -s -o /dev/null "$url"; curl -s -o /dev/null "$url")
      if [ "$(origin_requests)" -eq "$before" ] &&
        { [ -z "${hit_header[$system]}" ] || grep -qi "^${hit_header[$system]}" <<<"$headers"; }; then
        continue 2
      fi
    done
    echo "bench: $system does not serve $size.bin from its cache (origin log grew or no hit header); response headers:" >&2
    echo "$headers" >&2
    exit 1
  done
}

version_of() {
  case $1 in
    ours) echo "EdgeFleet.Cache $(git rev-parse --short HEAD 2>/dev/null || echo unknown)" ;;
    nginx) nginx -v 2>&1 | sed 's/^nginx version: //' ;;
    varnish) varnishd -V 2>&1 | head -n 1 ;;
    trafficserver) traffic_server --version 2>/dev/null | head -n 1 || true ;;
  esac
}

# peak_rss <system>: VmHWM summed over the processes of the system's process group, in bytes.
peak_rss() {
  local total=0 pid kb
  for pid in $(pgrep -g "${pgid[$1]}"); do
    kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  echo $((total * 1024))
}

# cpu_ticks <system>: user plus system CPU time of the system's processes so far, in clock ticks. Read
# around every run: CPU per request is the figure a shared, noisy machine moves least (wrk and the
# other tenants change how much CPU a cache gets, not how much it spends on each request).
cpu_ticks() {
  local total=0 pid ticks
  for pid in $(pgrep -g "${pgid[$1]}"); do
    # Fields after the command name, which is in parentheses: utime and stime are the 12th and 13th.
    ticks=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}')
    total=$((total + ${ticks:-0}))
  done
  echo "$total"
}
clock_ticks=$(getconf CLK_TCK)
TIMEFORMAT='%U %S'

# warm_under_load <system>: a short wrk run per object size and load before anything is measured, the
# same for every system: worker threads and pools grow, buffers size themselves and, for ours, the JIT
# compiles the hot paths with their profile. Without it the first measured repeat is partly warm-up.
warm_under_load() {
  local system=$1 size load
  for size in "${sizes[@]}"; do
    for load in "${loads[@]}"; do
      wrk -t"${load%%:*}" -c"${load##*:}" -d"${BENCH_WARMUP:-2}s" "http://127.0.0.1:${port[$system]}/$size.bin" >/dev/null
    done
  done
}

for system in "${systems[@]}"; do
  "start_$system"
  warm_and_verify "$system"
  warm_under_load "$system"
  echo "bench: $system ready on 127.0.0.1:${port[$system]}, serving hits"
done

# --- measurements ----------------------------------------------------------------------------------
runs=$work/runs.jsonl
: >"$runs"
total=$((repeats * ${#sizes[@]} * ${#loads[@]} * ${#systems[@]}))
n=0
for repeat in $(seq 1 "$repeats"); do
  for size in "${sizes[@]}"; do
    for load in "${loads[@]}"; do
      threads=${load%%:*}
      connections=${load##*:}
      for system in "${systems[@]}"; do
        n=$((n + 1))
        before=$(origin_requests)
        cpu_before=$(cpu_ticks "$system")
        machine_before=$(head -n 1 /proc/stat)
        freeze_others "$system"
        # wrk's own CPU time too (bash's time keyword, user and system seconds): a wrk thread busy all the
        # run means the load generator, not the cache, set the pace of that run.
        { time wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s build/bench-wrk.lua \
          "http://127.0.0.1:${port[$system]}/$size.bin" >"$work/wrk.out" || true; } 2>"$work/wrk.time"
        machine_after=$(head -n 1 /proc/stat)
        thaw_all
        result=$(sed -n 's/^BENCH_JSON //p' "$work/wrk.out")
        wrk_cpu_us=$(tail -n 1 "$work/wrk.time" | awk '{printf "%d", ($1 + $2) * 1000000}')
        # The machine's idle share over the run (/proc/stat: idle and iowait of all ticks): near 0, the
        # cores were saturated, and p99 then says as much about the scheduler as about the cache.
        idle=$(echo "$machine_before $machine_after" | awk '{
          for (i = 2; i <= 11; i++) { total += $(i + 11) - $i }
          printf "%.4f", (total > 0 ? ($16 - $5 + $17 - $6) / total : 0) }')
        if [ -z "$result" ]; then
          echo "bench: wrk gave no result for $system $size t${threads}c$connections" >&2
          exit 1
        fi
        cpu_us=$((($(cpu_ticks "$system") - cpu_before) * 1000000 / clock_ticks))
        origin_delta=$(($(origin_requests) - before))
        echo "{\"system\":\"$system\",\"size\":\"$size\",\"threads\":$threads,\"connections\":$connections,\"repeat\":$repeat,\"originRequests\":$origin_delta,\"cpuUs\":$cpu_us,\"wrkCpuUs\":${wrk_cpu_us:-0},\"machineIdle\":$idle,${result#\{}" >>"$runs"
        printf 'bench: [%d/%d] %-14s %-4s t%sc%-4s %s\n' "$n" "$total" "$system" "$size" "$threads" "$connections" \
          "$(node -e 'const r = JSON.parse(process.argv[1]); console.log(`${Math.round(r.requests / r.durationUs * 1e6)} req/s, p99 ${(r.p99Us / 1000).toFixed(2)} ms, CPU ${(process.argv[2] / r.requests).toFixed(1)} µs/req`)' "$result" "$cpu_us")"
      done
    done
  done
done

# --- report ----------------------------------------------------------------------------------------
{
  echo "{"
  first=1
  for system in "${systems[@]}"; do
    [ $first -eq 1 ] || echo ","
    first=0
    printf '  "%s": {"version": "%s", "port": %s, "peakRssBytes": %s}' \
      "$system" "$(version_of "$system" | sed 's/"/\\"/g')" "${port[$system]}" "$(peak_rss "$system")"
  done
  echo
  echo "}"
} >"$work/systems.json"
printf '{"durationSeconds": %s, "repeats": %s, "loads": [%s], "sizes": [%s], "systems": [%s]}\n' \
  "$duration" "$repeats" "$(printf '"%s",' "${loads[@]}" | sed 's/,$//')" "$(printf '"%s",' "${sizes[@]}" | sed 's/,$//')" \
  "$(printf '"%s",' "${systems[@]}" | sed 's/,$//')" >"$work/settings.json"
mkdir -p artifacts
node build/bench-report.mjs "$runs" "$work/systems.json" "$work/settings.json" artifacts/bench.json
