#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks that the Flatpak manifest parses as JSON and has what the app needs.
import json
import sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    manifest = json.load(f)

errors = []
expected = {
    "id": "io.github.sonde.Sonde",
    "runtime": "org.gnome.Platform",
    "sdk": "org.gnome.Sdk",
    "command": "sonde",
}
for key, value in expected.items():
    if manifest.get(key) != value:
        errors.append(f"{key} should be {value!r}, not {manifest.get(key)!r}")
if not manifest.get("runtime-version"):
    errors.append("runtime-version is missing")

finish_args = manifest.get("finish-args", [])
for arg in ["--share=network", "--share=ipc", "--socket=fallback-x11", "--socket=wayland",
            "--device=dri", "--talk-name=org.freedesktop.secrets"]:
    if arg not in finish_args:
        errors.append(f"finish-args lacks {arg}")
for arg in finish_args:
    if arg.startswith("--filesystem=") and arg.split("=", 1)[1].split(":")[0] in ("home", "host"):
        errors.append(f"{arg}: file access goes through the file chooser portal")

modules = manifest.get("modules", [])
if not modules or not isinstance(modules[-1], dict) or modules[-1].get("name") != "sonde":
    errors.append("the last module should be sonde")
elif modules[-1].get("buildsystem") != "meson":
    errors.append("the sonde module should build with meson")

for error in errors:
    print(f"{path}: {error}")
if not errors:
    print(f"{path}: OK")
sys.exit(1 if errors else 0)
