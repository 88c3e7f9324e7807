#!/usr/bin/env bash
# One-step set-up on a fresh Debian machine: system packages (CJK font, .doc converters),
# a virtual environment in .venv and the package itself.  Usage: bash setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")"
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

need=()
fc-list :lang=zh-cn 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
command -v catdoc >/dev/null 2>&1 || need+=(catdoc)
command -v antiword >/dev/null 2>&1 || need+=(antiword)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
# the tests look at the HTML reports in a real browser (headless screenshots, A4 print)
[ $want_test = 1 ] && ! command -v chromium >/dev/null 2>&1 && need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "安装系统软件包：${need[*]}"
    # Without the package sources (offline, a broken mirror) the program still installs:
    # what the packages give (.doc text, PDF pages for 文字识别) then says it is missing.
    if ! { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; }; then
      echo "提示：系统软件包 ${need[*]} 未能安装（apt 不可用），相关功能（旧版 Word、PDF 扫描页文字识别等）将提示缺少组件。" >&2
    fi
  else
    echo "提示：缺少系统软件包 ${need[*]}，请让管理员执行：sudo apt-get install ${need[*]}" >&2
  fi
fi

py=${PYTHON:-python3}
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
