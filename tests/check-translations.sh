#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks every language in po/LINGUAS: its .po compiles with msgfmt --check, and it
# translates every message of a template freshly extracted from po/POTFILES.in
# (no missing, untranslated or fuzzy message).
set -eu

srcdir=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$srcdir"

tmpdir=$(mktemp -d)
trap 'rm -rf "$tmpdir"' EXIT

# The keywords of meson's 'glib' gettext preset.
xgettext --package-name=sonde --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_prefix_error:2:c-format \
  --files-from=po/POTFILES.in --directory=. --output="$tmpdir/sonde.pot"

status=0
for lang in $(grep -v '^#' po/LINGUAS); do
  po="po/$lang.po"
  if ! msgfmt --check --output-file=/dev/null "$po"; then
    echo "$po: msgfmt --check failed"
    status=1
    continue
  fi
  # msgcmp counts untranslated and fuzzy messages as missing.
  if ! msgcmp "$po" "$tmpdir/sonde.pot"; then
    echo "$po is not complete: translate the messages above (msgmerge --update $po against a fresh template)"
    status=1
    continue
  fi
  echo "$po: $(msgfmt --statistics --output-file=/dev/null "$po" 2>&1)"
done
exit "$status"
