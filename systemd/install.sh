#!/usr/bin/env bash
# Installs the b24-xero systemd units for a checkout at PREFIX (default: the checkout this script is in):
#   sudo systemd/install.sh [--instance NAME] [--node PATH] [--units-dir DIR] [--no-systemctl] [--render-only DIR]
# - creates the system user/group b24xero (no login, no home),
# - creates /etc/b24xero (root:b24xero, 0750) and, if missing, the env file from b24xero.env.example (0640),
# - writes the units with this checkout's path and this machine's node into /etc/systemd/system,
# - runs `systemctl daemon-reload`. It enables nothing: edit the env file, migrate, then `systemctl enable --now`.
# --render-only DIR writes the units into DIR and does nothing else (what the tests use).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
prefix="$(cd "$here/.." && pwd)"
node="$(command -v node || true)"
units_dir=/etc/systemd/system
instance=""
systemctl=yes
render_only=""

while [ $# -gt 0 ]; do
  case "$1" in
    --instance) instance="$2"; shift 2 ;;
    --node) node="$2"; shift 2 ;;
    --units-dir) units_dir="$2"; shift 2 ;;
    --no-systemctl) systemctl=no; shift ;;
    --render-only) render_only="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

[ -n "$node" ] && [ -x "$node" ] || { echo "install.sh: node not found; pass --node /path/to/node (Node >= 20.19)" >&2; exit 1; }
if [ -n "$instance" ] && ! [[ "$instance" =~ ^[A-Za-z0-9_.-]{1,48}$ ]]; then
  echo "install.sh: --instance may hold letters, digits, '.', '_' and '-' only" >&2; exit 2
fi

render() { # unit file -> stdout, with this checkout's path and node
  sed -e "s|/usr/bin/node |$node |" -e "s|/opt/b24-xero|$prefix|g" "$1"
}

units=(b24xero.service b24xero@.service b24xero-pass.service b24xero-pass.timer)
if [ -n "$render_only" ]; then
  mkdir -p "$render_only"
  for u in "${units[@]}"; do render "$here/$u" > "$render_only/$u"; done
  exit 0
fi

[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (sudo)" >&2; exit 1; }

getent group b24xero >/dev/null || groupadd --system b24xero
id b24xero >/dev/null 2>&1 || useradd --system --gid b24xero --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin b24xero

install -d -m 0750 -o root -g b24xero /etc/b24xero
env_file="/etc/b24xero/${instance:-default}.env"
if [ ! -e "$env_file" ]; then
  install -m 0640 -o root -g b24xero "$here/b24xero.env.example" "$env_file"
  [ -n "$instance" ] && sed -i "s|^# B24X_INSTANCE=.*|B24X_INSTANCE=$instance|" "$env_file"
  echo "created $env_file: fill in BITRIX_DB_URL, XERO_CLIENT_ID and XERO_CLIENT_SECRET"
fi

for u in "${units[@]}"; do render "$here/$u" > "$units_dir/$u"; chmod 0644 "$units_dir/$u"; done
[ "$systemctl" = yes ] && systemctl daemon-reload

unit="b24xero.service"; [ -n "$instance" ] && unit="b24xero@$instance.service"
cat <<MSG
Units installed in $units_dir (node: $node, checkout: $prefix). Next:
  1. edit $env_file
  2. sudo -u b24xero env B24X_ENV_FILE=$env_file $node $prefix/daemon/bin/b24xero.js doctor
  3. sudo systemctl enable --now $unit
  4. systemctl status $unit; journalctl -u $unit -f
MSG
