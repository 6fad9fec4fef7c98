#!/bin/sh
# Install the Debian packages the tests drive, when missing: a real browser, CJK fonts
# (or screenshots show boxes), libical with its Python bindings for the feed checks, and
# LibreOffice Calc (headless) to open /data/events.csv as a spreadsheet would.
set -eu
PACKAGES="chromium fonts-noto-cjk gir1.2-ical-3.0 python3-gi libreoffice-calc-nogui"
missing=""
for package in $PACKAGES; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：$missing。请以 root 身份运行 make test，或手动安装：apt-get install$missing" >&2
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
