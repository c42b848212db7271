#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks the Flatpak manifests statically (flatpak-builder cannot reach Flathub here):
# each parses as JSON and has what the app needs; the release manifest builds a tagged,
# pinned git commit of the homepage's repository; the Devel manifest builds the local tree
# with -Dprofile=development and otherwise matches the release one.
#
#   check-manifest.py [--version 0.1.0] [--metainfo FILE.metainfo.xml.in.in] MANIFEST...
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

BASE_ID = "io.github.sonde.Sonde"
DEVEL_ID = BASE_ID + ".Devel"
# The current stable GNOME runtime.
RUNTIME_VERSION = "49"
FINISH_ARGS = ["--share=network", "--share=ipc", "--socket=fallback-x11", "--socket=wayland",
               "--device=dri", "--talk-name=org.freedesktop.secrets"]


def homepage_of(metainfo):
    root = ET.parse(metainfo).getroot()
    for url in root.findall("url"):
        if url.get("type") == "homepage":
            return url.text.strip()
    return None


def commit_in_history(manifest_path, commit):
    """True or False when git can tell, None outside a git checkout or in a shallow one."""
    git = shutil.which("git")
    where = os.path.dirname(os.path.abspath(manifest_path))
    if git is None:
        return None
    shallow = subprocess.run([git, "-C", where, "rev-parse", "--is-shallow-repository"],
                             capture_output=True, text=True)
    if shallow.returncode != 0 or shallow.stdout.strip() != "false":
        return None
    return subprocess.run([git, "-C", where, "cat-file", "-e", commit + "^{commit}"],
                          capture_output=True).returncode == 0


def check_common(manifest, errors):
    expected = {
        "runtime": "org.gnome.Platform",
        "runtime-version": RUNTIME_VERSION,
        "sdk": "org.gnome.Sdk",
        "command": "sonde",
    }
    for key, value in expected.items():
        if manifest.get(key) != value:
            errors.append(f"{key} should be {value!r}, not {manifest.get(key)!r}")

    finish_args = manifest.get("finish-args", [])
    for arg in FINISH_ARGS:
        if arg not in finish_args:
            errors.append(f"finish-args lacks {arg}")
    for arg in finish_args:
        # Files come through the file chooser portal; docs/packaging.md says why.
        if arg.startswith("--filesystem"):
            errors.append(f"{arg}: no file system access, files go through the portal")

    modules = manifest.get("modules", [])
    names = [m.get("name") if isinstance(m, dict) else m for m in modules]
    if "libyaml" not in names:
        errors.append("the libyaml module is missing")
    if not modules or not isinstance(modules[-1], dict) or modules[-1].get("name") != "sonde":
        errors.append("the last module should be sonde")
        return None
    sonde = modules[-1]
    if sonde.get("buildsystem") != "meson":
        errors.append("the sonde module should build with meson")
    sources = sonde.get("sources", [])
    if len(sources) != 1 or not isinstance(sources[0], dict):
        errors.append("the sonde module should have exactly one source")
        return None
    return sonde


def check_release(path, manifest, sonde, args, errors):
    source = sonde["sources"][0]
    if source.get("type") != "git":
        errors.append(f"the sonde source should be of type git, not {source.get('type')!r}")
        return
    homepage = homepage_of(args.metainfo) if args.metainfo else None
    url = source.get("url", "")
    if homepage is not None and url not in (homepage, homepage + ".git"):
        errors.append(f"the sonde source url {url!r} is not the metainfo's homepage {homepage!r}")
    if not url.startswith("https://"):
        errors.append(f"the sonde source url {url!r} should be https")
    tag = source.get("tag")
    if not tag:
        errors.append("the sonde source has no tag")
    elif args.version and tag != "v" + args.version:
        errors.append(f"the sonde source tag {tag!r} is not v{args.version}")
    commit = source.get("commit", "")
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        errors.append(f"the sonde source commit {commit!r} is not a full commit hash")
    elif commit_in_history(path, commit) is False:
        errors.append(f"the sonde source commit {commit} is not in this repository")
    for opt in sonde.get("config-opts", []):
        if opt.startswith("-Dprofile=") and opt != "-Dprofile=default":
            errors.append(f"{opt}: the release manifest builds the default profile")

    devel_path = os.path.join(os.path.dirname(path), DEVEL_ID + ".json")
    if not os.path.exists(devel_path):
        errors.append(f"{devel_path} is missing")


def check_devel(path, manifest, sonde, errors):
    source = sonde["sources"][0]
    if source.get("type") != "dir" or source.get("path") != "..":
        errors.append("the sonde source should be the local tree: {\"type\": \"dir\", \"path\": \"..\"}")
    if "-Dprofile=development" not in sonde.get("config-opts", []):
        errors.append("the sonde module lacks -Dprofile=development")

    release_path = os.path.join(os.path.dirname(path), BASE_ID + ".json")
    if not os.path.exists(release_path):
        return
    with open(release_path, encoding="utf-8") as f:
        release = json.load(f)
    for key in ("runtime", "runtime-version", "sdk", "command", "finish-args", "cleanup"):
        if manifest.get(key) != release.get(key):
            errors.append(f"{key} differs from {os.path.basename(release_path)}")
    if manifest.get("modules", [])[:-1] != release.get("modules", [])[:-1]:
        errors.append(f"the modules before sonde differ from {os.path.basename(release_path)}")


def check(path, args):
    errors = []
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        return [str(e)]

    app_id = manifest.get("id")
    if app_id not in (BASE_ID, DEVEL_ID):
        errors.append(f"id should be {BASE_ID!r} or {DEVEL_ID!r}, not {app_id!r}")
    elif os.path.basename(path) != app_id + ".json":
        errors.append(f"the file should be named {app_id}.json")

    sonde = check_common(manifest, errors)
    if sonde is not None and app_id == BASE_ID:
        check_release(path, manifest, sonde, args, errors)
    elif sonde is not None and app_id == DEVEL_ID:
        check_devel(path, manifest, sonde, errors)
    return errors


def main():
    parser = argparse.ArgumentParser(description="Checks Sonde's Flatpak manifests.")
    parser.add_argument("--version", help="the project version; the release tag is v<version>")
    parser.add_argument("--metainfo", help="the metainfo whose homepage is the git source")
    parser.add_argument("manifests", nargs="+")
    args = parser.parse_args()

    failed = False
    for path in args.manifests:
        errors = check(path, args)
        for error in errors:
            print(f"{path}: {error}")
        if not errors:
            print(f"{path}: OK")
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
