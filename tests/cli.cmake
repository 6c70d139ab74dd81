# endpointctl's az commands: parsing, --query, output formats, and end-to-end runs of the binary.
studio_add_test(test_cli_arguments SOURCES cli/test_cli_arguments.cpp LIBS studio_cli)
studio_add_test(test_cli_jsonquery SOURCES cli/test_cli_jsonquery.cpp LIBS studio_cli)
studio_add_test(test_cli_output SOURCES cli/test_cli_output.cpp LIBS studio_cli)
studio_add_test(test_cli_specedits SOURCES cli/test_cli_specedits.cpp LIBS studio_cli)

# Azure's deploy-local-endpoint.sh with `az ml` replaced by endpointctl, on both runtimes.
foreach(runtime docker process)
    add_test(NAME cli_walkthrough_${runtime}
        COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/walkthrough.sh $<TARGET_FILE:endpointctl> ${runtime})
    set_tests_properties(cli_walkthrough_${runtime} PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
endforeach()
set_tests_properties(cli_walkthrough_docker PROPERTIES LABELS docker)
set_tests_properties(cli_walkthrough_process PROPERTIES LABELS cli)

# The endpointctl binary end to end: usage errors, exit codes, both examples on Docker and
# on the process runtime.
studio_add_test(test_cli_commands SOURCES cli/test_cli_commands.cpp LIBS studio_cli
    LABELS docker TIMEOUT 600)
add_dependencies(test_cli_commands endpointctl)

# --query is JMESPath: a differential test against python3-jmespath (the implementation az
# runs) over a generated corpus, and the specification's own examples. jmespath_eval is the
# engine behind a line protocol.
qt_add_executable(jmespath_eval cli/jmespath_eval.cpp)
target_link_libraries(jmespath_eval PRIVATE studio_cli)
add_test(NAME cli_jmespath_differential
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/jmespath_differential.py
        --engine $<TARGET_FILE:jmespath_eval>)
add_test(NAME cli_jmespath_spec_examples
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/cli/jmespath_differential.py
        --engine $<TARGET_FILE:jmespath_eval>
        --spec-examples ${CMAKE_CURRENT_SOURCE_DIR}/cli/jmespath_spec_examples.json)
set_tests_properties(cli_jmespath_differential cli_jmespath_spec_examples PROPERTIES
    TIMEOUT 300 LABELS cli ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
