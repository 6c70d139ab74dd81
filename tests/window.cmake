# The studio window: tree, editors, Problems, guard, settings (offscreen); deploying from the
# window against a real Docker engine; the start-up/memory/typing benchmark.
studio_add_test(test_window SOURCES window/test_window.cpp window/windowtesthelpers.h
    LIBS studio_ui LABELS gui TIMEOUT 300)
studio_add_test(test_window_deploy SOURCES window/test_window_deploy.cpp
    window/windowtesthelpers.h LIBS studio_ui LABELS "gui;docker" TIMEOUT 600)
studio_add_benchmark(bench_window SOURCES window/bench_window.cpp LIBS studio_ui)
add_dependencies(bench_window endpoint-studio)
