#!/bin/sh
# Kepu Calendar content repository: check, build or publish in CI.
#
#   sh ci-templates/check-and-build.sh check     pull requests: invoke check, then a full build
#   sh ci-templates/check-and-build.sh publish   after a merge: invoke check, then invoke publish
#
# The site goes to public/ (KEPU_OUTPUT to change it); the CI workflow deploys that folder.
#
# Two ways to lay out a content repository, both supported:
#   * a copy (fork) of kepu-calendar: tasks.py is at the repository root and is used as is;
#   * only content/ (plus this folder): the generator is cloned from KEPU_REPO at KEPU_REF
#     into .kepu/ (add .kepu/ and public/ to .gitignore), or taken from KEPU_DIR if set.
#
# Environment:
#   KEPU_SITEURL     publish: the site's address, e.g. https://kepu.example.cn or https://example.cn/kepu
#   KEPU_REPO        generator repository URL (content-only layout), KEPU_REF its branch or tag (main)
#   KEPU_DIR         an existing generator checkout to use instead of cloning
#   KEPU_SKIP_SETUP  1: the generator's .venv is already installed (skip make)
#   KEPU_INVOKE      the invoke program to use (default: the generator's .venv/bin/invoke)
set -eu

mode="${1:-check}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
output="${KEPU_OUTPUT:-$repo/public}"
cd "$repo"

if [ -n "${KEPU_DIR:-}" ]; then
    kepu="$(cd "$KEPU_DIR" && pwd)"
elif [ -f "$repo/tasks.py" ] && [ -f "$repo/Makefile" ]; then
    kepu="$repo"
else
    kepu="$repo/.kepu"
    if [ ! -f "$kepu/tasks.py" ]; then
        : "${KEPU_REPO:?请设置 KEPU_REPO：科普日历程序仓库的地址}"
        git clone --quiet --depth 1 --branch "${KEPU_REF:-main}" "$KEPU_REPO" "$kepu"
    fi
fi

if [ "${KEPU_SKIP_SETUP:-}" != "1" ]; then
    # The Makefile's install step: a virtualenv with every pinned dependency.
    make -C "$kepu" --no-print-directory .venv/.installed
fi
invoke="${KEPU_INVOKE:-$kepu/.venv/bin/invoke}"

echo "== 检查内容：invoke check"
"$invoke" -r "$kepu" check --content "$repo/content"

case "$mode" in
    check)
        echo "== 试构建：invoke build"
        "$invoke" -r "$kepu" build --content "$repo/content" --output "$output"
        ;;
    publish)
        echo "== 发布：invoke publish"
        "$invoke" -r "$kepu" publish --content "$repo/content" --output "$output" \
            --siteurl "${KEPU_SITEURL:?请设置 KEPU_SITEURL：网站地址，例如 https://kepu.example.cn}"
        ;;
    *)
        echo "用法：sh ci-templates/check-and-build.sh check|publish" >&2
        exit 2
        ;;
esac
