#!/usr/bin/env bash
# OCR reads pages with Debian's Tesseract 5 and the language packs the archive needs.
# Installs what is missing when we may (root with apt-get); otherwise says what to do.
set -u
PACKS="eng rus ukr chi_sim chi_tra deu fra"
missing() {
  command -v tesseract >/dev/null 2>&1 || return 0
  local have
  have=$(tesseract --list-langs 2>/dev/null | tail -n +2)
  for lang in $PACKS; do
    grep -qx "$lang" <<<"$have" || return 0
  done
  return 1
}
if ! missing; then exit 0; fi
debs="tesseract-ocr"
for lang in $PACKS; do debs="$debs tesseract-ocr-${lang//_/-}"; done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's Tesseract and its language packs for OCR…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $debs >/dev/null) \
    || { echo "Could not install Tesseract; OCR jobs will fail." >&2; exit 1; }
  exit 0
fi
echo "OCR needs Tesseract 5 with its language packs: run 'sudo apt-get install $debs'." >&2
exit 1
