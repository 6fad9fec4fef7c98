#!/bin/sh
# Kepu Calendar content repository: check, build or publish in CI.
#
#   sh ci-templates/check-and-build.sh check     pull requests: invoke check --strict against the target
#                                                branch, then a trial build
#   sh ci-templates/check-and-build.sh publish   after a merge: invoke check --strict, then invoke publish
#
# The site goes to public/ (KEPU_OUTPUT to change it); the CI workflow deploys that folder.
# Both modes refuse a shallow clone: the calendar feeds (SEQUENCE, the change feed) and the check of
# a pull request's new files come from the git history.
#
# Two ways to lay out a content repository, both supported:
#   * a copy (fork) of kepu-calendar: tasks.py is at the repository root and is used as is;
#   * only content/ (plus this folder): the generator is cloned from KEPU_REPO at KEPU_REF
#     into .kepu/ (add .kepu/ and public/ to .gitignore), or taken from KEPU_DIR if set.
#
# Environment:
#   KEPU_SITEURL     publish: the site's address, e.g. https://example.cn or https://example.cn/kepu
#   KEPU_REPO        generator repository URL (content-only layout), KEPU_REF its branch, tag or commit
#                    (main), fetched on every run
#   KEPU_DIR         an existing generator checkout to use instead of cloning
#   KEPU_SKIP_SETUP  1: the generator's .venv is already installed (skip make)
#   KEPU_INVOKE      the invoke program to use (default: the generator's .venv/bin/invoke)
#   KEPU_BASE        check: the pull request's target (branch or commit). By default the target branch
#                    the CI names: GITHUB_BASE_REF (GitHub, Gitea, Forgejo), GITEE_BRANCH (Gitee Go)
# On GitHub Actions (Gitea and Forgejo Actions set GITHUB_ACTIONS=true too) problems are also printed as
# workflow commands, shown on the changed lines, and listed in the job summary ($GITHUB_STEP_SUMMARY).
set -eu

mode="${1:-check}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
output="${KEPU_OUTPUT:-$repo/public}"
cd "$repo"

case "$mode" in
    check|publish) ;;
    *)
        echo "用法：sh ci-templates/check-and-build.sh check|publish" >&2
        exit 2
        ;;
esac

# The whole history, or a loud refusal.
shallow="$(git rev-parse --is-shallow-repository 2>/dev/null || echo none)"
if [ "$shallow" = none ]; then
    echo "$repo 不是 git 仓库：日历订阅和合并请求检查都要用提交历史。请用 git 检出内容仓库后再运行。" >&2
    exit 2
fi
if [ "$shallow" = true ]; then
    cat >&2 <<'MESSAGE'
检出的代码只取了最近的提交（浅克隆），缺少完整的提交历史。
日历订阅靠提交历史判断活动改过几次、最近改了什么；合并请求检查靠它找出这次新加的文件。
请改成取完整历史后重新运行：
  * GitHub Actions、Gitea Actions、Forgejo Actions：actions/checkout 下写
        with:
          fetch-depth: 0
  * Gitee Go：在运行脚本的命令前加一行 git fetch --unshallow（ci-templates/gitee-go-*.yml 里已经写好），
    或在流水线的代码源设置里取全部提交（不限克隆深度）
  * 自己的服务器：在仓库里运行 git fetch --unshallow，或重新 git clone（不加 --depth）
MESSAGE
    exit 2
fi

# The pull request's target branch, as each CI names it.
target=""
if [ -n "${GITHUB_BASE_REF:-}" ]; then
    target="$GITHUB_BASE_REF"
elif [ -n "${GITEE_SOURCE_BRANCH:-}" ] && [ -n "${GITEE_BRANCH:-}" ]; then
    target="$GITEE_BRANCH"   # Gitee Go: on a pull request GITEE_BRANCH is the target branch
fi
base="${KEPU_BASE:-}"
if [ "$mode" = check ] && [ -z "$base" ] && [ -n "$target" ]; then
    for ref in "origin/$target" "$target"; do
        if git rev-parse --verify --quiet "$ref^{commit}" >/dev/null; then
            base="$ref"
            break
        fi
    done
    if [ -z "$base" ] && git fetch --quiet --no-tags origin \
            "+refs/heads/$target:refs/remotes/origin/$target" 2>/dev/null; then
        base="origin/$target"
    fi
    if [ -z "$base" ]; then
        echo "找不到合并请求的目标分支“$target”，无法判断这次改动新加了哪些文件 —" \
             "检出代码时要取完整历史和所有分支（actions/checkout 写 fetch-depth: 0），" \
             "或用 KEPU_BASE 指明目标分支，例如 KEPU_BASE=origin/main" >&2
        exit 2
    fi
fi

if [ -n "${KEPU_DIR:-}" ]; then
    kepu="$(cd "$KEPU_DIR" && pwd)"
elif [ -f "$repo/tasks.py" ] && [ -f "$repo/Makefile" ]; then
    kepu="$repo"
else
    kepu="$repo/.kepu"
    ref="${KEPU_REF:-main}"
    : "${KEPU_REPO:?请设置 KEPU_REPO：科普日历程序仓库的地址}"
    if [ ! -d "$kepu/.git" ]; then
        git init --quiet "$kepu"
        git -C "$kepu" remote add origin "$KEPU_REPO"
    fi
    # The program at KEPU_REF (a branch, a tag or a commit), fetched on every run: a runner that
    # keeps .kepu/ follows a branch that moved, and a ref that does not exist stops the run.
    git -C "$kepu" remote set-url origin "$KEPU_REPO"
    if ! git -C "$kepu" fetch --quiet --depth 1 origin "$ref"; then
        echo "取不到程序仓库 $KEPU_REPO 的“$ref”（KEPU_REF）：检查分支、标签或提交是否写对" >&2
        exit 2
    fi
    git -C "$kepu" checkout --quiet --force FETCH_HEAD
fi

if [ "${KEPU_SKIP_SETUP:-}" != "1" ]; then
    # The Makefile's install step: a virtualenv with every pinned dependency.
    make -C "$kepu" --no-print-directory .venv/.installed
fi
invoke="${KEPU_INVOKE:-$kepu/.venv/bin/invoke}"

# Strict in both modes: publishing refuses what the pull request's check refused.
set -- --content "$repo/content" --strict
if [ -n "$base" ]; then
    set -- "$@" --base "$base"
    echo "== 检查内容：invoke check --strict（这次改动相对于 $base）"
else
    echo "== 检查内容：invoke check --strict"
fi
if [ "${GITHUB_ACTIONS:-}" = true ]; then
    set -- "$@" --format github
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    set -- "$@" --summary "$GITHUB_STEP_SUMMARY"
fi
"$invoke" -r "$kepu" check "$@"

if [ "$mode" = check ]; then
    echo "== 试构建：invoke build"
    "$invoke" -r "$kepu" build --content "$repo/content" --output "$output"
else
    echo "== 发布：invoke publish"
    "$invoke" -r "$kepu" publish --content "$repo/content" --output "$output" \
        --siteurl "${KEPU_SITEURL:?请设置 KEPU_SITEURL：网站地址，例如 https://example.cn/kepu}"
fi
