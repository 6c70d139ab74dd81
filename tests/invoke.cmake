# Invoke panel (issue 7): scoring client, history, snippets, assertions, load runner, panel.
# Every test talks to the real scoring server on a free port (tests/invoke/fixtures/score.py).
add_library(studio_invoke_testsupport STATIC
    invoke/scoringserverprocess.h invoke/scoringserverprocess.cpp)
target_link_libraries(studio_invoke_testsupport PUBLIC studio_testsupport Qt6::Network)
target_include_directories(studio_invoke_testsupport PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/invoke)

studio_add_test(test_scoringclient SOURCES invoke/test_scoringclient.cpp
    LIBS studio_invoke studio_invoke_testsupport)
studio_add_test(test_invokehistory SOURCES invoke/test_invokehistory.cpp
    LIBS studio_invoke studio_invoke_testsupport)
studio_add_test(test_requestsnippets SOURCES invoke/test_requestsnippets.cpp
    LIBS studio_invoke studio_invoke_testsupport)
studio_add_test(test_responseassertion SOURCES invoke/test_responseassertion.cpp
    LIBS studio_invoke studio_invoke_testsupport)

# Client overhead per request vs curl against the same local server; run from a Release build:
#   <build>/tests/bench_invoke [requests]
studio_add_benchmark(bench_invoke SOURCES invoke/bench_invoke.cpp
    LIBS studio_invoke studio_invoke_testsupport)
studio_add_test(test_invokepanel SOURCES invoke/test_invokepanel.cpp
    LIBS studio_widgets studio_invoke_testsupport LABELS gui)

# Load runs (issue 18): histogram, HTTP response reader, engine against the real scoring server.
studio_add_test(test_latencyhistogram SOURCES invoke/test_latencyhistogram.cpp LIBS studio_invoke)
studio_add_test(test_httpresponseparser SOURCES invoke/test_httpresponseparser.cpp
    LIBS studio_invoke)
studio_add_test(test_loadengine SOURCES invoke/test_loadengine.cpp
    LIBS studio_invoke studio_invoke_testsupport)
# The load engine against wrk on the same scoring server; run from a Release build:
#   <build>/tests/bench_load [--duration 5] [--rounds 3] [--concurrency 4,8] [--url URI]
studio_add_benchmark(bench_load SOURCES invoke/bench_load.cpp
    LIBS studio_invoke studio_invoke_testsupport)
