# Loadex setup, meant to be *sourced* so Node 24 lands on your shell's PATH:
#   source scripts/setup.sh          Node 24 (if missing) + npm ci (if needed)
#   source scripts/setup.sh --test   the same, plus the Debian packages the tests drive
#                                    (chromium, prometheus/promtool, redis-server, tmux; needs root or sudo)
# Safe to run again: each step is skipped when already done.

loadex_setup() {
  local root want_test=0
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  [[ ${1:-} == --test ]] && want_test=1

  # Node 24 LTS: the project's runtime (machines with Node 20 get it from the npm registry's `node` package).
  local major=0
  command -v node >/dev/null && major=$(node -p 'process.versions.node.split(".")[0]')
  if ((major < 24)); then
    if [[ ! -x $HOME/.node24/bin/node ]]; then
      echo "setup: installing Node 24 into $HOME/.node24"
      npm i -g --prefix "$HOME/.node24" node@24 >/dev/null || { echo "setup: could not install Node 24" >&2; return 1; }
    fi
    export PATH="$HOME/.node24/bin:$PATH"
  fi
  echo "setup: node $(node -v)"

  if ((want_test)); then
    local sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    local missing=()
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    command -v promtool >/dev/null || missing+=(prometheus)
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v tmux >/dev/null || missing+=(tmux)
    command -v curl >/dev/null || missing+=(curl)
    if ((${#missing[@]})); then
      echo "setup: apt-get install ${missing[*]}"
      DEBIAN_FRONTEND=noninteractive $sudo apt-get update >/dev/null &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}" ca-certificates >/dev/null ||
        { echo "setup: apt-get install failed" >&2; return 1; }
      # Debian's prometheus package starts a service on :9090; the tests start their own.
      $sudo systemctl stop prometheus 2>/dev/null || $sudo pkill -x prometheus 2>/dev/null || true
      # Debian's redis-server package starts a service on :6379 (where systemd runs); the tests start
      # their own on a free port.
      $sudo systemctl disable --now redis-server 2>/dev/null || $sudo pkill -x redis-server 2>/dev/null || true
    fi
  fi

  # npm ci when node_modules is missing or older than the lock file.
  if [[ ! -d $root/node_modules || $root/package-lock.json -nt $root/node_modules/.package-lock.json ]]; then
    echo "setup: npm ci"
    (cd "$root" && npm ci --no-audit --no-fund) || { echo "setup: npm ci failed" >&2; return 1; }
  fi
}

loadex_setup "$@"
