#!/usr/bin/env bash
# Machine preparation for CI: makes sure MariaDB answers on 127.0.0.1:3306 as root with an empty password, that the
# PHP CLI has the mysql extensions and that Debian's phpunit is there for the Bitrix module's tests. Works where MariaDB already runs, where it is installed but stopped, and on a bare
# Debian 12 where nothing is installed (apt-get; no systemd needed). Reads no standard input; safe to run again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

log() { printf '[ci] %s\n' "$*"; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    # A failed refresh (mirror hiccup, offline machine with a filled apt cache) need not be fatal: the install below
    # tells whether the lists already present were good enough.
    $SUDO apt-get update -qq </dev/null || log "apt-get update failed; trying the package lists already present"
    apt_updated=1
  fi
  $SUDO apt-get install -y -qq "$@" </dev/null >/dev/null
}

# mysqladmin ping succeeds whenever a server answers, even if it then refuses the login.
db_alive() { mysqladmin --protocol=tcp -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1; }
root_over_tcp() { mysql --protocol=tcp -h127.0.0.1 -P3306 -uroot -e 'SELECT 1' >/dev/null 2>&1; }
server_bin() { for b in /usr/sbin/mariadbd /usr/sbin/mysqld; do [ -x "$b" ] && { echo "$b"; return 0; }; done; return 1; }

ensure_mariadb() {
  if command -v mysqladmin >/dev/null && db_alive && root_over_tcp; then log "MariaDB is running"; return; fi
  if ! server_bin >/dev/null || ! command -v mysqladmin >/dev/null; then
    log "installing mariadb-server"
    apt_install mariadb-server mariadb-client
  fi
  if ! db_alive; then
    log "starting MariaDB"
    $SUDO mkdir -p /run/mysqld /var/log/mysql
    $SUDO chown mysql:mysql /run/mysqld /var/log/mysql 2>/dev/null || true
    # A datadir that the package did not initialise: same options as Debian's postinst (no test database, hence no
    # anonymous users; root by unix socket, opened to TCP below).
    if [ ! -d /var/lib/mysql/mysql ]; then
      local out
      out=$($SUDO env TMPDIR= mariadb-install-db --user=mysql --disable-log-bin --skip-test-db 2>&1) \
        || { log "mariadb-install-db failed:"; printf '%s\n' "$out"; exit 1; }
    fi
    # --pidfile: without it start-stop-daemon takes any process running that binary (say a server in another chroot
    # or container) as ours and starts nothing. Without systemd nobody collects the server's stderr: hence --log-error.
    $SUDO start-stop-daemon --start --oknodo --background --pidfile /run/mysqld/mysqld.pid --exec "$(server_bin)" -- \
      --user=mysql --pid-file=/run/mysqld/mysqld.pid --log-error=/var/log/mysql/error.log
    for _ in $(seq 1 240); do db_alive && break; sleep 0.25; done
  fi
  if ! db_alive; then
    log "MariaDB did not come up on 127.0.0.1:3306; last lines of /var/log/mysql/error.log:"
    $SUDO tail -n 20 /var/log/mysql/error.log 2>/dev/null || true
    exit 1
  fi
  # A fresh Debian install lets root in by unix socket only; the tests connect over TCP with an empty password.
  if ! root_over_tcp; then
    $SUDO mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"
    root_over_tcp || { log "root cannot log in over TCP with an empty password"; exit 1; }
  fi
  log "MariaDB is running"
}

ensure_php() {
  # Read the module list first: `php -m | grep -q` under pipefail fails whenever grep quits before php has written
  # everything (SIGPIPE), which made this check flaky and reinstalled PHP for nothing.
  local modules=""
  if command -v php >/dev/null; then modules=$(php -m 2>/dev/null || true); fi
  if grep -qix 'mysqli' <<<"$modules" && grep -qix 'pdo_mysql' <<<"$modules"; then
    log "PHP CLI present ($(php -r 'echo PHP_VERSION;'))"; return
  fi
  log "installing php-cli php-mysql"
  apt_install php-cli php-mysql
}

ensure_phpunit() {
  # Debian 12's phpunit is 9.6, what bitrix-module/phpunit.xml.dist is written for; it brings php-xml and php-mbstring.
  local version=""
  if command -v phpunit >/dev/null; then version=$(phpunit --version 2>/dev/null || true); fi
  if [ -n "$version" ]; then log "${version%%$'\n'*}"; return; fi
  log "installing phpunit"
  apt_install phpunit
  phpunit --version >/dev/null 2>&1 || { log "phpunit does not run after installing it"; exit 1; }
}

ensure_systemd_analyze() {
  # test/systemd/units.test.ts runs `systemd-analyze verify` and `security --offline=true` on the unit files; it needs
  # the tool, not a running systemd.
  if command -v systemd-analyze >/dev/null; then return; fi
  log "installing systemd (for systemd-analyze)"
  apt_install systemd
}

ensure_chromium() {
  # test/ui/admin-pages.test.ts drives the module's admin pages in Debian's headless Chromium through playwright-core
  # (which downloads no browser); it skips itself, saying so, only where /usr/bin/chromium is missing.
  if [ -x /usr/bin/chromium ]; then log "$(/usr/bin/chromium --version 2>/dev/null | head -1)"; return; fi
  log "installing chromium (for the browser tests of the admin pages)"
  apt_install chromium
}

ensure_mariadb
ensure_php
ensure_phpunit
ensure_systemd_analyze
ensure_chromium
