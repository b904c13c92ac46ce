#!/usr/bin/env bash
# System packages for reading scanned PDFs (retrieval/ocr.py): Tesseract with its Vietnamese
# model, from Debian. Installed only when missing. Without them the product still runs and
# says, in Vietnamese, that a scanned page needs `tesseract-ocr tesseract-ocr-vie`.
set -euo pipefail
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
  need+=(tesseract-ocr-vie)
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Thiếu ${need[*]} để nhận dạng chữ (OCR) trong PDF quét; hãy chạy với quyền root: sudo bash $0" >&2
  exit 1
fi
echo "Cài gói nhận dạng chữ (OCR): ${need[*]}"
apt-get -o DPkg::Lock::Timeout=900 update -qq
DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${need[@]}" >/dev/null
