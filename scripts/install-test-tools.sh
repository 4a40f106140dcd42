#!/usr/bin/env bash
# Installs, once, the Debian packages the tests use: Chromium for the browser tests
# (Playwright drives it through executable_path; `playwright install` would try to download
# a browser, which cannot work without internet) and age for the encrypted back-up test.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v age >/dev/null 2>&1 || missing="$missing age"
if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "not installed and cannot be installed here:$missing (their tests will be skipped)" >&2
  exit 0
fi
apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
