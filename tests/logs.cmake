# Log engine and log view (issue 7).
studio_add_test(test_logstore SOURCES logs/test_logstore.cpp LIBS studio_logs)
studio_add_test(test_logsearch SOURCES logs/test_logsearch.cpp LIBS studio_logs)
studio_add_test(test_logfollower SOURCES logs/test_logfollower.cpp LIBS studio_logs)
studio_add_test(test_logfollower_docker SOURCES logs/test_logfollower_docker.cpp LIBS studio_logs
    LABELS docker TIMEOUT 300)
studio_add_test(test_logpanel SOURCES logs/test_logpanel.cpp LIBS studio_widgets LABELS gui)

# Benchmarks (run by hand from a Release build; they print figures).
studio_add_benchmark(bench_logstore SOURCES logs/bench_logstore.cpp LIBS studio_logs)
studio_add_benchmark(bench_logfollow SOURCES logs/bench_logfollow.cpp LIBS studio_widgets)
