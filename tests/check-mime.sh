#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks the shared-mime-info file of request and collection files: well-formed XML,
# compiled by update-mime-database without complaint, *.request.json and sonde-collection.json
# map to their types, each a sub-class of application/json.
set -eu

mime_xml=$1
type=application/x-sonde-request+json
collection_type=application/x-sonde-collection+json

tmpdir=$(mktemp -d)
trap 'rm -rf "$tmpdir"' EXIT

xmllint --noout "$mime_xml"

mkdir -p "$tmpdir/mime/packages"
cp "$mime_xml" "$tmpdir/mime/packages/"
# update-mime-database reports unknown elements and bad globs but still exits 0;
# XDG_DATA_HOME keeps it from warning that the temporary folder is not searched.
XDG_DATA_HOME=$tmpdir update-mime-database "$tmpdir/mime" >"$tmpdir/log" 2>&1
if [ -s "$tmpdir/log" ]; then
  cat "$tmpdir/log"
  exit 1
fi

status=0
# expect TYPE GLOB-LINE SHOWN: globs2 holds GLOB-LINE (weight:type:pattern, a grep pattern),
# and TYPE is a sub-class of application/json.
expect() {
  if ! grep -qx "$2" "$tmpdir/mime/globs2"; then
    echo "globs2 does not map $3 to $1:"
    cat "$tmpdir/mime/globs2"
    status=1
  fi
  if ! grep -qx "$1 application/json" "$tmpdir/mime/subclasses"; then
    echo "$1 is not a sub-class of application/json:"
    cat "$tmpdir/mime/subclasses"
    status=1
  fi
}
expect "$type" "50:$type:\*\.request\.json" "*.request.json"
expect "$collection_type" "60:$collection_type:sonde-collection\.json" "sonde-collection.json"
[ $status -eq 0 ] && echo "$mime_xml: OK"
exit $status
