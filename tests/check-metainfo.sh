#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Validates a metainfo file with appstreamcli --pedantic and fails on any issue, even a
# pedantic one, except cid-contains-uppercase-letter: the ID io.github.sonde.Sonde follows
# GNOME's and Flathub's reverse-DNS naming (the app's name capitalised), is the GApplication
# ID, D-Bus name and Flatpak ID, and cannot change without losing users' settings. AppStream
# 1.0 no longer reports it; 0.16 (Debian 12) still does.
set -eu

metainfo=$1
accepted=cid-contains-uppercase-letter

status=0
output=$(appstreamcli validate --pedantic --no-net --explain "$metainfo" 2>&1) || status=$?
echo "$output"
[ $status -eq 0 ] || exit $status

# Issue lines read "P: component:line: tag hint".
unexpected=$(echo "$output" | grep -E '^[EWIP]: ' | awk '{ print $3 }' | grep -vx "$accepted" || true)
if [ -n "$unexpected" ]; then
  echo "$metainfo: unexpected issues: $(echo $unexpected)"
  exit 1
fi
