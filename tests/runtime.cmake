# The same scenarios on each runtime (tests/runtime/test_runtime.cpp, STUDIO_TEST_RUNTIME).
studio_add_test(test_runtime_docker SOURCES runtime/test_runtime.cpp LIBS studio_runtime
    LABELS docker TIMEOUT 1200)
target_compile_definitions(test_runtime_docker PRIVATE STUDIO_TEST_RUNTIME="docker")
studio_add_test(test_runtime_process SOURCES runtime/test_runtime.cpp LIBS studio_runtime
    TIMEOUT 300)
target_compile_definitions(test_runtime_process PRIVATE STUDIO_TEST_RUNTIME="process")

# Figures, not assertions: build-xx/tests/bench_runtime [runs]
studio_add_benchmark(bench_runtime SOURCES runtime/bench_runtime.cpp LIBS studio_runtime)

# Settings, sizes and limits computed from the YAML (no engine, no processes).
studio_add_test(test_serversettings SOURCES runtime/test_serversettings.cpp LIBS studio_runtime)

# Hostile files (issue 14): names, sources, links, a private data folder; on both runtimes.
studio_add_test(test_datafolder SOURCES runtime/test_datafolder.cpp LIBS studio_runtime)
studio_add_test(test_hardening_docker SOURCES runtime/test_hardening.cpp LIBS studio_runtime
    LABELS docker TIMEOUT 600)
target_compile_definitions(test_hardening_docker PRIVATE STUDIO_TEST_RUNTIME="docker")
studio_add_test(test_hardening_process SOURCES runtime/test_hardening.cpp LIBS studio_runtime
    TIMEOUT 300)
target_compile_definitions(test_hardening_process PRIVATE STUDIO_TEST_RUNTIME="process")
