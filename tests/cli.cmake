# endpointctl's az commands: parsing, --query, output formats, and end-to-end runs of the binary.
studio_add_test(test_cli_arguments SOURCES cli/test_cli_arguments.cpp LIBS studio_core)
studio_add_test(test_cli_jsonquery SOURCES cli/test_cli_jsonquery.cpp LIBS studio_core)
studio_add_test(test_cli_output SOURCES cli/test_cli_output.cpp LIBS studio_core)
