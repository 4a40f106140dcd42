#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests, once. Playwright drives it
# through executable_path; `playwright install` would try to download a
# browser, which cannot work without internet.
set -eu
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium not found and cannot be installed here: browser tests will be skipped" >&2
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
