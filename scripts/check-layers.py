#!/usr/bin/env python3
"""Checks the include graph against the layers of ARCHITECTURE.md.

Each source file belongs to a module (its folder). A module may include only the modules its
row below allows, so the folders keep the design: the core never reaches the widgets, the
widgets never reach the window, nothing but endpointctl reaches the CLI. On top of that, the
graph of components (a header with its .cpp) must have no cycle.

Usage: check-layers.py [source root]   (prints every violation; exit 1 when there is one)
"""
import os
import re
import sys
from collections import defaultdict

# module -> modules it may include (itself always allowed)
ALLOWED = {
    "models": set(),
    "app/runtime": {"models"},
    "app/logs": {"models"},
    "app/invoke": {"models"},
    "app/cli": {"models", "app/runtime", "app/logs", "app/invoke"},
    "widgets": {"models", "app/runtime", "app/logs", "app/invoke"},
    "widgets/editor": {"models", "widgets"},
    "widgets/logs": {"models", "app/runtime", "app/logs", "widgets"},
    "widgets/invoke": {"models", "app/runtime", "app/invoke", "widgets"},
    "ui": {"models", "app/runtime", "app/logs", "app/invoke",
           "widgets", "widgets/editor", "widgets/logs", "widgets/invoke"},
    # Entry points: endpoint-studio wires the window, endpointctl the CLI.
    "app": {"models", "ui", "app/cli"},
}
SOURCE_DIRS = ("models", "app", "widgets", "ui")
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]+"([^"]+)"', re.M)


def module_of(path):
    folder = os.path.dirname(path)
    return folder if folder in ALLOWED else None


def component_of(path):
    # A private header (Qt's `_p.h`: parts of a class shared with its workers) belongs to the
    # class it completes.
    stem = os.path.splitext(path)[0]
    return stem[:-2] if stem.endswith("_p") else stem


def sources(root):
    for top in SOURCE_DIRS:
        for folder, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if name.endswith((".h", ".cpp")):
                    yield os.path.relpath(os.path.join(folder, name), root)


def strongly_connected(graph):
    """Tarjan's algorithm, iterative; returns the components with more than one node."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = [0]
    for start in list(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))
    return result


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    problems = []
    graph = defaultdict(set)
    files = 0
    for path in sorted(sources(root)):
        files += 1
        module = module_of(path)
        if module is None:
            problems.append(f"{path}: folder '{os.path.dirname(path)}' has no row in the "
                            "layer table of scripts/check-layers.py (add it, with ARCHITECTURE.md)")
            continue
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for match in INCLUDE.finditer(text):
            target = match.group(1)
            line = text.count("\n", 0, match.start()) + 1
            if not os.path.exists(os.path.join(root, target)):
                continue  # generated (ui_*.h, moc) or a test helper
            target_module = module_of(target)
            if target_module is None or target.startswith("tests/"):
                problems.append(f"{path}:{line}: includes {target}, outside the product's folders")
                continue
            if target_module != module and target_module not in ALLOWED[module]:
                problems.append(f"{path}:{line}: {module} may not include {target} "
                                f"({target_module}); allowed: "
                                f"{', '.join(sorted(ALLOWED[module])) or 'nothing else'}")
            if component_of(target) != component_of(path):
                graph[component_of(path)].add(component_of(target))
    for cycle in strongly_connected(graph):
        problems.append("include cycle between " + " <-> ".join(cycle))
    for problem in problems:
        print(problem)
    print(f"layers: {files} files, {sum(len(v) for v in graph.values())} include edges, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
