#!/usr/bin/env bash
# Install Debian's Chromium for the browser test of the HTML report (test/report/browser.test.ts)
# and for `fairwatch report --pdf`, when it is missing. playwright-core drives it at
# /usr/bin/chromium (or $FAIRWATCH_CHROMIUM); no browser is ever downloaded by Playwright.
# Idempotent and non-interactive; prints the version it found.
set -euo pipefail

CHROMIUM="${FAIRWATCH_CHROMIUM:-/usr/bin/chromium}"
t0=$SECONDS

die() { echo "chromium.sh: ERROR: $*" >&2; exit 1; }
log() { echo "chromium.sh: $*"; }

if [[ ! -x "$CHROMIUM" ]]; then
  [[ "$CHROMIUM" == /usr/bin/chromium ]] || die "FAIRWATCH_CHROMIUM=$CHROMIUM is not an executable; unset it to install Debian's chromium"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install Chromium yourself and set FAIRWATCH_CHROMIUM to its path"
  log "installing chromium (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/tmp/fairwatch-apt-chromium.log 2>&1 \
    || { tail -n 30 /tmp/fairwatch-apt-chromium.log >&2; die "apt-get install failed (log: /tmp/fairwatch-apt-chromium.log)"; }
  log "installed in $((SECONDS - t0)) s"
fi
[[ -x "$CHROMIUM" ]] || die "Chromium is still missing at $CHROMIUM"
version="$("$CHROMIUM" --headless --no-sandbox --disable-gpu --version 2>/dev/null || true)"
[[ -n "$version" ]] || die "$CHROMIUM does not run (try: $CHROMIUM --headless --no-sandbox --version)"
log "ready: $version at $CHROMIUM"
