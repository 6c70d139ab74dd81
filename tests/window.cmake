# The studio window: tree, editors, Problems, guard, settings (offscreen); deploying from the
# window against a real Docker engine; the start-up/memory/typing benchmark.
studio_add_test(test_window SOURCES window/test_window.cpp window/windowtesthelpers.h
    LIBS studio_gui LABELS gui TIMEOUT 300)
if(STUDIO_HAVE_VALIDATOR_FOR_WINDOW)
    target_compile_definitions(test_window PRIVATE STUDIO_HAVE_VALIDATOR)
endif()
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/window/test_window_deploy.cpp)
    studio_add_test(test_window_deploy SOURCES window/test_window_deploy.cpp
        window/windowtesthelpers.h LIBS studio_gui LABELS "gui;docker" TIMEOUT 600)
endif()
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/window/bench_window.cpp)
    studio_add_benchmark(bench_window SOURCES window/bench_window.cpp LIBS studio_gui)
    add_dependencies(bench_window endpoint-studio)
endif()
