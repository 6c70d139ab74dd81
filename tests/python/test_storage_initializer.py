"""Tests of resources/scoring/storage_initializer.py (stdlib unittest).

Run: cd tests/python && /usr/bin/python3 -m unittest -v test_storage_initializer
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCORING = os.path.normpath(os.path.join(HERE, "..", "..", "resources", "scoring"))
INIT = os.path.join(SCORING, "storage_initializer.py")
PYTHON = sys.executable or "/usr/bin/python3"
LINE_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [DIWEC] \[\d+\] storage-initializer - ")


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class StorageInitializerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="si-test-")
        self.src = os.path.join(self.tmp, "src")
        self.model = os.path.join(self.src, "model")
        self.code = os.path.join(self.src, "onlinescoring")
        os.makedirs(os.path.join(self.model, "sub"))
        os.makedirs(self.code)
        with open(os.path.join(self.model, "sklearn_regression_model.pkl"), "wb") as f:
            f.write(os.urandom(5000))
        with open(os.path.join(self.model, "sub", "meta.json"), "w") as f:
            f.write('{"k": 1}')
        with open(os.path.join(self.code, "score.py"), "w") as f:
            f.write("def init():\n    pass\n\n\ndef run(d):\n    return d\n")
        self.dest = os.path.join(self.tmp, "azureml-app")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def stage(self, *extra, model=None, code=None, dest=None):
        args = [PYTHON, INIT, "--dest", dest or self.dest, "--server", SCORING]
        if model is not False:
            args += ["--model", model or self.model, "--model-name", "sklearn-model",
                     "--model-version", "3"]
        if code is not False:
            args += ["--code", code or self.code]
        p = subprocess.run(args + list(extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=30)
        return p.returncode, p.stdout

    def test_layout(self):
        rc, out = self.stage()
        self.assertEqual(rc, 0, out)
        mdir = os.path.join(self.dest, "azureml-models", "sklearn-model", "3", "model")
        self.assertEqual(sha(os.path.join(mdir, "sklearn_regression_model.pkl")),
                         sha(os.path.join(self.model, "sklearn_regression_model.pkl")))
        self.assertTrue(os.path.isfile(os.path.join(mdir, "sub", "meta.json")))
        self.assertTrue(os.path.isfile(os.path.join(self.dest, "onlinescoring", "score.py")))
        server = os.path.join(self.dest, ".studio-server")
        for rel in ("scoring_server.py",
                    "azureml/contrib/services/aml_request.py",
                    "azureml/contrib/services/aml_response.py",
                    "azureml_inference_server_http/api/aml_request.py",
                    "azureml_inference_server_http/api/aml_response.py"):
            self.assertTrue(os.path.isfile(os.path.join(server, rel)), rel)
        self.assertFalse([n for n in os.listdir(self.dest) if n.startswith(".staging-")])
        with open(os.path.join(self.dest, ".studio-staged.json")) as f:
            manifest = json.load(f)
        paths = {e["path"]: e for e in manifest["entries"]}
        entry = paths["azureml-models/sklearn-model/3/model/sklearn_regression_model.pkl"]
        self.assertEqual(entry["bytes"], 5000)
        self.assertEqual(entry["sha256"], sha(os.path.join(self.model,
                                                           "sklearn_regression_model.pkl")))
        self.assertEqual(manifest["files"], len(manifest["entries"]))
        self.assertEqual(manifest["bytes"], sum(e["bytes"] for e in manifest["entries"]))

    def test_model_single_file(self):
        f = os.path.join(self.model, "sklearn_regression_model.pkl")
        rc, out = self.stage(model=f)
        self.assertEqual(rc, 0, out)
        self.assertTrue(os.path.isfile(os.path.join(
            self.dest, "azureml-models", "sklearn-model", "3", "sklearn_regression_model.pkl")))

    def test_log_lines(self):
        rc, out = self.stage()
        self.assertEqual(rc, 0, out)
        lines = out.splitlines()
        for l in lines:
            self.assertRegex(l, LINE_RE)
        staged = [re.search(r" - staged (\S+) (\d+) bytes sha256=([0-9a-f]{64})$", l)
                  for l in lines]
        staged = [m for m in staged if m]
        by_path = {m.group(1): m for m in staged}
        m = by_path["azureml-models/sklearn-model/3/model/sklearn_regression_model.pkl"]
        self.assertEqual(m.group(2), "5000")
        self.assertEqual(m.group(3), sha(os.path.join(self.model, "sklearn_regression_model.pkl")))
        self.assertIn("onlinescoring/score.py", by_path)
        self.assertIn(".studio-server/scoring_server.py", by_path)
        total = re.search(r" - staged (\d+) files, (\d+) bytes in \d+\.\d{3} s$", lines[-1])
        self.assertIsNotNone(total, lines[-1])
        self.assertEqual(int(total.group(1)), len(staged))
        self.assertEqual(int(total.group(2)), sum(int(m.group(2)) for m in staged))

    def test_restage_replaces_previous(self):
        rc, _ = self.stage()
        self.assertEqual(rc, 0)
        os.remove(os.path.join(self.code, "score.py"))
        with open(os.path.join(self.code, "score2.py"), "w") as f:
            f.write("x = 1\n")
        rc, out = self.stage()
        self.assertEqual(rc, 0, out)
        self.assertFalse(os.path.exists(os.path.join(self.dest, "onlinescoring", "score.py")))
        self.assertTrue(os.path.exists(os.path.join(self.dest, "onlinescoring", "score2.py")))

    def test_dest_is_existing_dir_kept(self):
        # DEST may be a mount point: it is filled in place, never renamed or replaced.
        os.makedirs(self.dest)
        ino = os.stat(self.dest).st_ino
        rc, out = self.stage()
        self.assertEqual(rc, 0, out)
        self.assertEqual(os.stat(self.dest).st_ino, ino)

    def _assert_failed(self, rc, out, path):
        self.assertEqual(rc, 2, out)
        err = [l for l in out.splitlines() if re.match(r".* E \[\d+\] storage-initializer - ", l)]
        self.assertTrue(err, out)
        self.assertIn(path, err[0])
        self.assertFalse(os.path.exists(os.path.join(self.dest, ".studio-staged.json")))
        if os.path.isdir(self.dest):
            self.assertFalse([n for n in os.listdir(self.dest) if n.startswith(".staging-")])
        return err[0]

    def test_missing_model(self):
        missing = os.path.join(self.src, "no-such-model")
        rc, out = self.stage(model=missing)
        line = self._assert_failed(rc, out, missing)
        self.assertIn("does not exist", line)

    def test_missing_code(self):
        missing = os.path.join(self.src, "no-such-code")
        rc, out = self.stage(code=missing)
        self._assert_failed(rc, out, missing)

    def test_unreadable_file_dangling_symlink(self):
        # Tests run as root, so chmod 000 does not make a file unreadable; a dangling symlink
        # inside the model folder is unreadable for every user.
        link = os.path.join(self.model, "weights.bin")
        os.symlink(os.path.join(self.tmp, "gone.bin"), link)
        rc, out = self.stage()
        line = self._assert_failed(rc, out, link)
        self.assertIn("dangling", line)

    def test_unreadable_file_fifo(self):
        fifo = os.path.join(self.code, "pipe")
        os.mkfifo(fifo)
        rc, out = self.stage()
        line = self._assert_failed(rc, out, fifo)
        self.assertIn("not a regular file", line)

    def test_unreadable_file_permissions(self):
        f = os.path.join(self.model, "sklearn_regression_model.pkl")
        os.chmod(f, 0)
        try:
            if os.access(f, os.R_OK):
                self.skipTest("running as root: chmod 000 does not stop reading (the dangling "
                              "symlink and FIFO tests cover unreadable files)")
            rc, out = self.stage()
            self._assert_failed(rc, out, f)
        finally:
            os.chmod(f, 0o644)

    # Issue 14: names and links must not lead the copy out of DEST or out of a source folder.
    def test_model_name_and_version_must_be_one_component(self):
        for name, version in (("../../../tmp/x", "1"), ("m", ".."), ("m", "."), ("a/b", "1")):
            args = [PYTHON, INIT, "--dest", self.dest, "--server", SCORING, "--model",
                    self.model, "--model-name", name, "--model-version", version]
            p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=30)
            self.assertEqual(p.returncode, 2, p.stdout)  # argparse's usage error
            self.assertIn("one path component", p.stdout)
            self.assertFalse(os.path.exists(self.dest))

    def test_link_leading_out_is_refused_unless_confirmed(self):
        outside = os.path.join(self.tmp, "outside.txt")
        with open(outside, "w") as f:
            f.write("secret")
        link = os.path.join(self.code, "linked.txt")
        os.symlink(outside, link)
        rc, out = self.stage()
        line = self._assert_failed(rc, out, link)
        self.assertIn("leading out of the code folder", line)
        self.assertFalse(os.path.exists(os.path.join(self.dest, ".studio-staged.json")))
        rc, out = self.stage("--follow-links-out")
        self.assertEqual(rc, 0, out)
        with open(os.path.join(self.dest, "onlinescoring", "linked.txt")) as f:
            self.assertEqual(f.read(), "secret")

    def test_link_inside_the_folder_is_followed(self):
        os.symlink("sub", os.path.join(self.model, "alias"))
        rc, out = self.stage()
        self.assertEqual(rc, 0, out)
        mdir = os.path.join(self.dest, "azureml-models", "sklearn-model", "3", "model")
        self.assertTrue(os.path.isfile(os.path.join(mdir, "alias", "meta.json")))
        self.assertFalse(os.path.islink(os.path.join(mdir, "alias")))

    def test_link_loop_is_an_error(self):
        os.symlink("..", os.path.join(self.model, "sub", "up"))
        rc, out = self.stage()
        line = self._assert_failed(rc, out, os.path.join(self.model, "sub", "up"))
        self.assertIn("loop", line)

    def test_code_folder_with_a_reserved_name(self):
        reserved = os.path.join(self.src, ".studio-previous")
        shutil.copytree(self.code, reserved)
        rc, out = self.stage(code=reserved)
        line = self._assert_failed(rc, out, reserved)
        self.assertIn("rename the folder", line)

    def test_failure_after_previous_staging_leaves_no_half_state(self):
        rc, _ = self.stage()
        self.assertEqual(rc, 0)
        with open(os.path.join(self.dest, ".studio-staged.json")) as f:
            before = f.read()
        os.symlink(os.path.join(self.tmp, "gone.bin"), os.path.join(self.model, "late.bin"))
        rc, out = self.stage()
        self.assertEqual(rc, 2, out)
        # Nothing half-staged: the previous staging, untouched, is the complete one again.
        with open(os.path.join(self.dest, ".studio-staged.json")) as f:
            self.assertEqual(f.read(), before)
        self.assertTrue(os.path.isfile(os.path.join(self.dest, "onlinescoring", "score.py")))
        self.assertFalse([n for n in os.listdir(self.dest) if n.startswith(".staging-")])
        self.assertFalse(os.path.exists(os.path.join(self.dest, ".studio-previous")))

    def test_previous_staging_kept_and_restored(self):
        score = os.path.join(self.code, "score.py")
        rc, _ = self.stage()
        self.assertEqual(rc, 0)
        with open(score, "w") as f:
            f.write("def init():\n    raise ValueError('v2 is broken')\n\n\ndef run(d):\n    return d\n")
        rc, out = self.stage()
        self.assertEqual(rc, 0, out)
        staged = os.path.join(self.dest, "onlinescoring", "score.py")
        kept = os.path.join(self.dest, ".studio-previous", "onlinescoring", "score.py")
        with open(staged) as f:
            self.assertIn("v2 is broken", f.read())
        with open(kept) as f:
            self.assertNotIn("v2 is broken", f.read())
        self.assertTrue(os.path.isfile(os.path.join(self.dest, ".studio-previous",
                                                    ".studio-staged.json")))
        manifest = os.path.join(self.dest, ".studio-staged.json")
        mtime = os.stat(manifest).st_mtime
        time.sleep(0.05)

        p = subprocess.run([PYTHON, INIT, "--dest", self.dest, "--restore-previous"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=30)
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertRegex(p.stdout.splitlines()[-1],
                         r" - restored the previous staging \(\d+ files, \d+ bytes, staged at ")
        with open(staged) as f:
            self.assertNotIn("v2 is broken", f.read())
        self.assertFalse(os.path.exists(os.path.join(self.dest, ".studio-previous")))
        with open(manifest) as f:
            self.assertIn("restored_at", json.load(f))
        self.assertGreater(os.stat(manifest).st_mtime, mtime)  # a waiting server sees it as new
        # Only one generation is kept: restoring again has nothing to restore.
        p = subprocess.run([PYTHON, INIT, "--dest", self.dest, "--restore-previous"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=30)
        self.assertEqual(p.returncode, 4, p.stdout)
        self.assertIn("no previous staging to restore", p.stdout)


class QrcTest(unittest.TestCase):
    def test_qrc_lists_every_file(self):
        """resources/scoring.qrc must ship every file of resources/scoring (and nothing else)."""
        import xml.etree.ElementTree as ET
        resources = os.path.dirname(SCORING)
        listed = {e.text for e in ET.parse(os.path.join(resources, "scoring.qrc")).iter("file")}
        present = set()
        for root, dirs, files in os.walk(SCORING):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for f in files:
                if not f.endswith(".pyc"):
                    present.add(os.path.relpath(os.path.join(root, f), resources))
        self.assertEqual(listed, present)


if __name__ == "__main__":
    unittest.main()
