#!/usr/bin/env bash
# One-step set-up on a fresh Debian machine: system packages (CJK font, .doc converters),
# a virtual environment in .venv and the package itself.  Usage: bash setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")"
want_test=0
[ "${1:-}" = "--test" ] && want_test=1
py=${PYTHON:-python3}

# Another apt or dpkg (an unattended upgrade, a second install) holds the package manager's
# locks: wait for it with a message instead of failing before .venv exists.  The locks are
# POSIX record locks; they are looked up in /proc/locks, never taken, so the other install
# is not disturbed.
apt_locks=${JIAARCHIVE_APT_LOCKS:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock}
apt_busy() {
  # shellcheck disable=SC2086
  "$py" - $apt_locks <<'PY'
import os, re, sys
held = set()
try:
    for line in open("/proc/locks"):
        m = re.search(r" ([0-9a-f]+):([0-9a-f]+):(\d+) ", line)
        if m and "->" not in line:
            held.add((int(m[1], 16), int(m[2], 16), int(m[3])))
except OSError:
    sys.exit(1)
for path in sys.argv[1:]:
    try:
        st = os.stat(path)
    except OSError:
        continue
    if (os.major(st.st_dev), os.minor(st.st_dev), st.st_ino) in held:
        sys.exit(0)
sys.exit(1)
PY
}
wait_for_apt() {
  local waited=0 limit=${JIAARCHIVE_APT_WAIT:-1200}
  while apt_busy; do
    if [ "$waited" = 0 ]; then
      echo "另一个安装程序（apt/dpkg）正在运行，等它结束后继续安装（最多等 $((limit / 60)) 分钟）……" >&2
    fi
    if [ "$waited" -ge "$limit" ]; then
      echo "提示：等待超时，暂不安装系统软件包；稍后可再次运行 bash setup.sh。" >&2
      return 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
}
if [ "${1:-}" = "--wait-for-apt" ]; then  # used by the tests
  wait_for_apt
  exit $?
fi

need=()
fc-list :lang=zh-cn 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
command -v catdoc >/dev/null 2>&1 || need+=(catdoc)
command -v antiword >/dev/null 2>&1 || need+=(antiword)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
# the tests look at the HTML reports in a real browser (headless screenshots, A4 print)
[ $want_test = 1 ] && ! command -v chromium >/dev/null 2>&1 && need+=(chromium)
# the tests run the archive on a real PostgreSQL server they start themselves (tests/pg.py)
[ $want_test = 1 ] && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "安装系统软件包：${need[*]}"
    # a failure here must not stop the set-up before .venv: the program runs without these
    # (only old .doc files, Chinese fonts in PDFs and PDF pages for 文字识别 need them) and says what is missing
    if ! { wait_for_apt &&
           apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null &&
           DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null; }; then
      echo "提示：系统软件包 ${need[*]} 未能安装，稍后可再次运行 bash setup.sh（或：apt-get install ${need[*]}）。" >&2
    fi
  else
    echo "提示：缺少系统软件包 ${need[*]}，请让管理员执行：sudo apt-get install ${need[*]}" >&2
  fi
fi

[ -x .venv/bin/python ] || "$py" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
base=. full=.[ocr]
[ $want_test = 1 ] && base=.[test] full=.[test,ocr]
# Text recognition (rapidocr + onnxruntime, models in the wheel) where the platform has wheels
# for it; elsewhere everything else still installs and scans report 未安装文字识别.
if ! .venv/bin/python -m pip install -q -e "$full"; then
  echo "提示：文字识别组件（rapidocr、onnxruntime）未能安装，扫描件和照片中的文字暂不能检索，其余功能不受影响。" >&2
  .venv/bin/python -m pip install -q -e "$base"
fi
