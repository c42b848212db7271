#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a file under src/ or data/ has translatable strings (_(), N_(), C_(), NC_()
# or translatable="yes"; binary files such as screenshots are not read) but is missing from po/POTFILES.in, when POTFILES.in lists a file
# that does not exist, or when POTFILES.in is not sorted.
set -eu

srcdir=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$srcdir"

listed=$(mktemp)
found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT

grep -v -e '^#' -e '^[[:space:]]*$' po/POTFILES.in > "$listed"

status=0

if ! LC_ALL=C sort -c "$listed" 2>/dev/null; then
  echo "po/POTFILES.in is not sorted (LC_ALL=C sort)"
  status=1
fi

while read -r file; do
  if [ ! -f "$file" ]; then
    echo "po/POTFILES.in lists $file, which does not exist"
    status=1
  fi
done < "$listed"

grep -r -l -I -E '(^|[^[:alnum:]_])(_|N_|C_|NC_)\(|translatable="yes"' src data \
  | LC_ALL=C sort > "$found" || true

missing=$(LC_ALL=C sort "$listed" | LC_ALL=C comm -13 - "$found")
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from po/POTFILES.in:"
  echo "$missing" | sed 's/^/  /'
  status=1
fi

if [ "$status" -eq 0 ]; then
  echo "po/POTFILES.in lists every file with translatable strings ($(wc -l < "$listed") files)"
fi
exit "$status"
