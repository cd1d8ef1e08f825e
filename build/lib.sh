# Helpers sourced by the scripts in build/: installing Debian packages, running servers on loopback and
# stopping them.

# install_packages <script-name> <package...>: installs missing Debian packages (needs root).
install_packages() {
  local script=$1
  shift
  (($#)) || return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "$script: missing Debian packages $*; install them with apt-get (needs root)" >&2
    exit 1
  fi
  echo "$script: installing $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Each process runs in its own session (setsid), so its PID is also its process group: stopping the group
# stops what it started too (`dotnet run` starts the program as a child; nginx and Varnish fork workers).
# The caller sets `work` (a temp dir, removed on exit) and installs `trap stop_all EXIT`.

pids=()

stop_all() {
  local pid deadline
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  deadline=$((SECONDS + 10))
  for pid in "${pids[@]}"; do
    while kill -0 -- "-$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
      sleep 0.2
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  [ -n "${work:-}" ] && rm -rf "$work"
}

# start <log-file> <command...>: runs the command in a new session; its PID is appended to `pids`.
start() {
  local log=$1
  shift
  setsid "$@" >"$log" 2>&1 </dev/null &
  pids+=("$!")
}

# free_port: prints a TCP port that is free on 127.0.0.1 now.
free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })'
}

# wait_http <name> <url> <seconds> <log>: waits until the URL answers with any HTTP status, or fails with
# the last lines of the log of the most recently started process.
wait_http() {
  local name=$1 url=$2 deadline=$((SECONDS + $3)) log=$4
  until curl -s -o /dev/null --max-time 2 "$url"; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "$(basename "$0"): $name did not start answering $url; its log:" >&2
      tail -n 40 "$log" >&2 || true
      exit 1
    fi
    sleep 0.3
  done
}

# nginx_main <dir>: the top of an nginx.conf that keeps every file nginx writes in <dir> and runs in the
# foreground (the script owns the process). As root, workers stay root so they can write <dir>.
nginx_main() {
  local dir=$1
  [ "$(id -u)" -eq 0 ] && echo "user root root;"
  cat <<NGINX
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
NGINX
}

# nginx_temp_paths <dir>: the http-level temp paths, so nginx never touches /var/lib/nginx.
nginx_temp_paths() {
  local dir=$1
  cat <<NGINX
  client_body_temp_path $dir/temp/client;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
NGINX
}
