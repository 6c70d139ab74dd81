#!/usr/bin/env python3
"""Endpoint Studio storage initializer: stages model, code and the scoring server into a
deployment's app folder (the /var/azureml-app layout), standard-library Python >= 3.8.

    python3 storage_initializer.py --dest DEST [--model SRC --model-name NAME --model-version VER]
                                   [--code SRC] --server SERVERDIR [--follow-links-out]

Layout written:
    DEST/azureml-models/NAME/VER/<basename of model SRC>   (file or folder)
    DEST/<basename of code SRC>/
    DEST/.studio-server/                                      (scoring_server.py + shims)
    DEST/.studio-staged.json                                  (manifest, written last)

Everything is copied into DEST/.staging-<random>/ first; only when every file is copied are the
previous entries replaced and the manifest written, so a DEST without .studio-staged.json is
never a complete staging. DEST itself is never renamed (it may be a mount point).

A complete previous staging is kept in DEST/.studio-previous/ (one generation), so an update
whose new code fails can go back to it:

    python3 storage_initializer.py --dest DEST --restore-previous
Nothing is written outside DEST: NAME and VER must each be one path component (the studio
encodes them), every target's real path is checked to lie in the staging folder, and files are
created with O_EXCL | O_NOFOLLOW. A symbolic link inside a source folder is followed only when
its target stays inside that folder (a loop is an error); one leading out of it is refused
unless --follow-links-out says the user confirmed it.

Exit codes: 0 ok, 1 bad arguments, 2 a source is missing or unreadable, 4 destination error.
"""
import argparse
import hashlib
import json
import logging
import os
import shutil
import stat
import sys
import time
import uuid

MANIFEST = ".studio-staged.json"
PREVIOUS_DIR = ".studio-previous"
# The manifest of the staging being replaced, while a new one is copied.
PENDING_PREVIOUS = ".studio-staged.previous.json"
SERVER_DIR = ".studio-server"
MODELS_DIR = "azureml-models"
EXIT_SOURCE = 2
EXIT_DEST = 4

log = logging.getLogger("storage-initializer")


class _Formatter(logging.Formatter):
    converter = time.gmtime

    def __init__(self):
        super().__init__("%(asctime)s %(levelname).1s [%(process)d] %(name)s - %(message)s")


def setup_logging():
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except Exception:
        pass
    h = logging.StreamHandler(sys.stdout)
    h.setFormatter(_Formatter())
    root = logging.getLogger()
    root.handlers[:] = [h]
    root.setLevel(logging.INFO)


class SourceError(Exception):
    def __init__(self, path, what):
        super().__init__("%s: %s" % (path, what))
        self.path = path
        self.what = what


def check_source(path, role):
    """Fail early, naming the path, when a source is missing or cannot be read."""
    if os.path.islink(path) and not os.path.exists(path):
        raise SourceError(path, "the %s is a symbolic link to a missing target (%s); point it "
                          "at an existing file or folder" % (role, os.readlink(path)))
    if not os.path.exists(path):
        raise SourceError(path, "the %s does not exist; check the path in the deployment YAML "
                          "(relative paths are resolved from the YAML's folder)" % role)
    if not os.access(path, os.R_OK) or (os.path.isdir(path) and not os.access(path, os.X_OK)):
        raise SourceError(path, "the %s is not readable; fix its permissions (chmod a+r)" % role)


def inside(path, root):
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class Walk:
    """One source being copied: its resolved root, whether links may lead out of it, and the
    staging folder every target must stay in."""

    def __init__(self, root, role, staging, follow_out):
        self.root = os.path.realpath(root)
        self.role = role
        self.staging = os.path.realpath(staging)
        self.follow_out = follow_out
        self.active = []  # resolved folders being copied (a link back to one is a loop)

    def check_target(self, dst):
        parent = os.path.realpath(os.path.dirname(dst))
        if not inside(parent, self.staging):
            raise DestError(dst, "would be written outside the staging folder (at %s)" % parent)

    def check_link(self, path):
        if not os.path.exists(path):
            return  # dangling: the copy says so
        target = os.path.realpath(path)
        if not inside(target, self.root) and not self.follow_out:
            raise SourceError(path, "a symbolic link leading out of the %s (to %s); copy the "
                              "file into the folder, or confirm the deploy (the studio asks; "
                              "endpointctl --allow-sensitive-sources)" % (self.role, target))
        if target in self.active:
            raise SourceError(path, "a symbolic link loop (back to %s); remove the link" % target)


class DestError(Exception):
    def __init__(self, path, what):
        super().__init__("%s: %s" % (path, what))
        self.filename = path
        self.strerror = what


def is_component(name):
    return bool(name) and name not in (".", "..") and "/" not in name and "\0" not in name \
        and os.sep not in name


def hash_copy(src, dst):
    """Copy one regular file, returning (bytes, sha256 hex)."""
    h = hashlib.sha256()
    n = 0
    try:
        st = os.stat(src)
        if not stat.S_ISREG(st.st_mode):
            raise SourceError(src, "not a regular file (a FIFO, socket or device cannot be "
                              "staged); remove it from the source folder")
        fin = open(src, "rb")
    except FileNotFoundError:
        raise SourceError(src, "file is missing or is a dangling symbolic link; remove the link "
                          "or restore its target")
    except PermissionError:
        raise SourceError(src, "file is not readable; fix its permissions (chmod a+r)")
    try:
        # Never through a link or over a file already there: the target is new.
        fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o644)
    except OSError:
        fin.close()
        raise
    with fin, os.fdopen(fd, "wb") as fout:
        while True:
            try:
                chunk = fin.read(1 << 20)
            except OSError as e:
                raise SourceError(src, "read failed (%s)" % e.strerror)
            if not chunk:
                break
            h.update(chunk)
            fout.write(chunk)
            n += len(chunk)
    try:
        shutil.copystat(src, dst)
    except OSError:
        pass
    return n, h.hexdigest()


def copy_tree(src, dst, rel_prefix, walk, entries, exclude=(), top=True):
    """Copy file or folder src to dst; append manifest entries with paths relative to DEST."""
    if not top and os.path.islink(src):
        walk.check_link(src)
    walk.check_target(dst)
    if os.path.isdir(src):
        os.makedirs(dst, exist_ok=True)
        try:
            names = sorted(os.listdir(src))
        except PermissionError:
            raise SourceError(src, "folder is not readable; fix its permissions (chmod a+rx)")
        walk.active.append(os.path.realpath(src))
        for name in names:
            if name in exclude:
                continue
            copy_tree(os.path.join(src, name), os.path.join(dst, name), rel_prefix + "/" + name,
                      walk, entries, top=False)
        walk.active.pop()
        return
    n, digest = hash_copy(src, dst)
    entries.append({"path": rel_prefix, "bytes": n, "sha256": digest})
    log.info("staged %s %d bytes sha256=%s", rel_prefix, n, digest)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="storage_initializer.py",
                                description="Stage model, code and scoring server into DEST.")
    p.add_argument("--dest", required=True, help="the deployment's app folder (volume root)")
    p.add_argument("--model", help="model file or folder")
    p.add_argument("--model-name", help="model name (required with --model)")
    p.add_argument("--model-version", default="1", help="model version (default 1)")
    p.add_argument("--code", help="code folder")
    p.add_argument("--server", help="folder holding scoring_server.py and shims")
    p.add_argument("--follow-links-out", action="store_true",
                   help="follow symbolic links that lead out of the model or code folder (the "
                   "user confirmed them)")
    p.add_argument("--restore-previous", action="store_true",
                   help="put the staging kept in DEST/%s back in place" % PREVIOUS_DIR)
    args = p.parse_args(argv)
    if not args.restore_previous and not args.server:
        p.error("--server is required")
    if args.model and not args.model_name:
        p.error("--model-name is required with --model")
    for what in ("model_name", "model_version"):
        value = getattr(args, what)
        if args.model and not is_component(value):
            p.error("--%s must be one path component (not empty, '.', '..' or containing '/'): "
                    "%r" % (what.replace("_", "-"), value))
    return args


def own_entries(dest):
    """Top-level names of a staging in DEST (not the bookkeeping of this script)."""
    return [name for name in os.listdir(dest)
            if not name.startswith(".staging-") and name not in (
                MANIFEST, MANIFEST + ".tmp", PREVIOUS_DIR, PENDING_PREVIOUS)]


def remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.remove(path)


def write_manifest(dest, manifest):
    tmp = os.path.join(dest, MANIFEST + ".tmp")
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, os.path.join(dest, MANIFEST))


def restore_previous(dest):
    """Put DEST/.studio-previous back in place of the current staging."""
    previous = os.path.join(dest, PREVIOUS_DIR)
    try:
        with open(os.path.join(previous, MANIFEST)) as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        log.error("no previous staging to restore in %s", dest)
        return EXIT_DEST
    try:
        try:
            os.remove(os.path.join(dest, MANIFEST))
        except FileNotFoundError:
            pass
        for name in own_entries(dest):
            remove(os.path.join(dest, name))
        for name in os.listdir(previous):
            if name != MANIFEST:
                os.rename(os.path.join(previous, name), os.path.join(dest, name))
        shutil.rmtree(previous)
        manifest["restored_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        write_manifest(dest, manifest)
    except OSError as e:
        log.error("cannot restore the previous staging in %s: %s", dest, e)
        return EXIT_DEST
    log.info("restored the previous staging (%d files, %d bytes, staged at %s)",
             manifest.get("files", 0), manifest.get("bytes", 0), manifest.get("staged_at", "?"))
    return 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    setup_logging()
    t0 = time.perf_counter()
    dest = os.path.abspath(args.dest)
    if args.restore_previous:
        return restore_previous(dest)
    sources = []
    if args.model:
        sources.append((os.path.abspath(args.model), "model"))
    if args.code:
        sources.append((os.path.abspath(args.code), "code folder"))
    server = os.path.abspath(args.server)
    sources.append((server, "scoring server folder"))
    # A previous staging stops looking complete before anything else happens; its manifest is
    # set aside, to be kept with it (or put back if this staging fails).
    pending = os.path.join(dest, PENDING_PREVIOUS)
    try:
        os.rename(os.path.join(dest, MANIFEST), pending)
    except FileNotFoundError:
        pass
    except OSError as e:
        log.error("cannot set aside the old manifest in %s: %s", dest, e.strerror)
        return EXIT_DEST

    def give_back():
        """This staging failed: the previous one, untouched, is complete again."""
        try:
            os.rename(pending, os.path.join(dest, MANIFEST))
        except OSError:
            pass
    try:
        for path, role in sources:
            check_source(path, role)
        if not os.path.isfile(os.path.join(server, "scoring_server.py")):
            raise SourceError(server, "the scoring server folder has no scoring_server.py")
        if args.code and not os.path.isdir(args.code):
            raise SourceError(os.path.abspath(args.code), "the code path must be a folder")
        if args.code:
            base = os.path.basename(os.path.abspath(args.code).rstrip("/"))
            if base in (MODELS_DIR, SERVER_DIR, PREVIOUS_DIR, MANIFEST, PENDING_PREVIOUS) or \
                    base.startswith(".staging-"):
                raise SourceError(os.path.abspath(args.code), "the code folder's name %r is "
                                  "used by the app folder itself; rename the folder" % base)
    except SourceError as e:
        log.error("cannot stage %s: %s", e.path, e.what)
        give_back()
        return EXIT_SOURCE

    try:
        os.makedirs(dest, exist_ok=True)
    except OSError as e:
        log.error("cannot create destination %s: %s", dest, e.strerror)
        return EXIT_DEST
    for name in os.listdir(dest):
        if name.startswith(".staging-"):
            shutil.rmtree(os.path.join(dest, name), ignore_errors=True)

    staging = os.path.join(dest, ".staging-" + uuid.uuid4().hex[:12])
    os.makedirs(staging)
    entries = []
    top = []  # top-level names created in staging, moved into DEST at the end
    try:
        if args.model:
            src = os.path.abspath(args.model).rstrip("/")
            base = os.path.basename(src)
            rel = "%s/%s/%s/%s" % (MODELS_DIR, args.model_name, args.model_version, base)
            target = os.path.join(staging, *rel.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            log.info("copying model %s version %s from %s", args.model_name, args.model_version,
                     src)
            copy_tree(src, target, rel, Walk(src, "model folder", staging, args.follow_links_out),
                      entries)
            top.append(MODELS_DIR)
        if args.code:
            src = os.path.abspath(args.code).rstrip("/")
            base = os.path.basename(src)
            log.info("copying code from %s", src)
            copy_tree(src, os.path.join(staging, base), base,
                      Walk(src, "code folder", staging, args.follow_links_out), entries)
            top.append(base)
        log.info("copying scoring server from %s", server)
        copy_tree(server, os.path.join(staging, SERVER_DIR), SERVER_DIR,
                  Walk(server, "scoring server folder", staging, False), entries,
                  exclude=("__pycache__",))
        top.append(SERVER_DIR)
    except SourceError as e:
        log.error("cannot stage %s: %s", e.path, e.what)
        shutil.rmtree(staging, ignore_errors=True)
        give_back()
        return EXIT_SOURCE
    except (OSError, DestError) as e:
        log.error("cannot write %s: %s", getattr(e, "filename", None) or dest,
                  e.strerror or e)
        shutil.rmtree(staging, ignore_errors=True)
        give_back()
        return EXIT_DEST

    try:
        # Previous entries (never DEST itself) go to PREVIOUS_DIR when they were a complete
        # staging, else away; then the new ones move into place.
        previous = os.path.join(dest, PREVIOUS_DIR)
        if os.path.exists(previous):
            shutil.rmtree(previous)
        if os.path.exists(pending):
            os.makedirs(previous)
            for name in own_entries(dest):
                os.rename(os.path.join(dest, name), os.path.join(previous, name))
            os.rename(pending, os.path.join(previous, MANIFEST))
        else:
            for name in own_entries(dest):
                remove(os.path.join(dest, name))
        for name in top:
            os.rename(os.path.join(staging, name), os.path.join(dest, name))
        os.rmdir(staging)
        elapsed = time.perf_counter() - t0
        total = sum(e["bytes"] for e in entries)
        manifest = {
            "version": 1,
            "staged_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "seconds": round(elapsed, 3),
            "model": ({"name": args.model_name, "version": args.model_version,
                       "source": os.path.abspath(args.model)} if args.model else None),
            "code": os.path.abspath(args.code) if args.code else None,
            "files": len(entries),
            "bytes": total,
            "entries": entries,
        }
        write_manifest(dest, manifest)
    except OSError as e:
        log.error("cannot finish staging in %s: %s", dest, e)
        shutil.rmtree(staging, ignore_errors=True)
        return EXIT_DEST
    log.info("staged %d files, %d bytes in %.3f s", len(entries), total, elapsed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
