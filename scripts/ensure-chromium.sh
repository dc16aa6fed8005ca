#!/bin/sh
# Make sure Debian's chromium (plus CJK fonts, so screenshots show Chinese) is present for the
# Playwright e2e tests, which drive /usr/bin/chromium through executable_path instead of
# `playwright install`. Idempotent. Not root and missing: say so and exit 0; the e2e tests then
# skip with a reason.
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "chromium present: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-chromium: $CHROMIUM is missing and this is not root." >&2
    echo "  Ask an administrator to run: apt-get install -y chromium fonts-noto-cjk" >&2
    echo "  (or re-run this script as root). e2e tests will be skipped until then." >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-noto-cjk
echo "chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
