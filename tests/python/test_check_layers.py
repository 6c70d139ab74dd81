"""scripts/check-layers.py finds what it is there to find: an include against the layers, and
an include cycle; and it passes a tree that keeps the rules."""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "check-layers.py")


def run(tree):
    with tempfile.TemporaryDirectory() as root:
        for path, text in tree.items():
            os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(text)
        done = subprocess.run([sys.executable, SCRIPT, root], capture_output=True, text=True)
        return done.returncode, done.stdout


class CheckLayers(unittest.TestCase):
    def test_a_tree_that_keeps_the_rules_passes(self):
        code, out = run({
            "models/spec.h": "#pragma once\n",
            "app/runtime/deployer.cpp": '#include "models/spec.h"\n',
            "ui/window.cpp": '#include "app/runtime/deployer.h"\n',
            "app/runtime/deployer.h": '#include "models/spec.h"\n',
        })
        self.assertEqual(code, 0, out)
        self.assertIn("0 problem(s)", out)

    def test_an_upward_include_is_named_with_its_line(self):
        code, out = run({
            "models/spec.h": "#pragma once\n",
            "ui/window.h": "#pragma once\n",
            "models/spec.cpp": '#include "models/spec.h"\n\n#include "ui/window.h"\n',
        })
        self.assertEqual(code, 1)
        self.assertIn("models/spec.cpp:3: models may not include ui/window.h (ui)", out)

    def test_the_core_may_not_reach_the_cli_or_another_service(self):
        code, out = run({
            "app/cli/command.h": "#pragma once\n",
            "app/logs/store.h": "#pragma once\n",
            "app/runtime/deployer.cpp": '#include "app/cli/command.h"\n#include "app/logs/store.h"\n',
        })
        self.assertEqual(code, 1)
        self.assertIn("app/runtime may not include app/cli/command.h", out)
        self.assertIn("app/runtime may not include app/logs/store.h", out)

    def test_a_cycle_is_found(self):
        code, out = run({
            "widgets/editor/editor.h": '#include "widgets/editor/completion.h"\n',
            "widgets/editor/completion.cpp": '#include "widgets/editor/editor.h"\n',
            "widgets/editor/completion.h": "#pragma once\n",
        })
        self.assertEqual(code, 1)
        self.assertIn("include cycle between widgets/editor/completion <-> widgets/editor/editor", out)

    def test_a_private_header_belongs_to_its_class(self):
        code, out = run({
            "app/logs/store.h": "#pragma once\n",
            "app/logs/store_p.h": '#include "app/logs/store.h"\n',
            "app/logs/store.cpp": '#include "app/logs/store_p.h"\n',
        })
        self.assertEqual(code, 0, out)

    def test_a_new_folder_needs_a_row(self):
        code, out = run({"app/gateway/proxy.h": "#pragma once\n"})
        self.assertEqual(code, 1)
        self.assertIn("folder 'app/gateway' has no row", out)


if __name__ == "__main__":
    unittest.main()
