# endpointctl's az-style commands (online-endpoint, online-deployment) and their output formats.
# azcommands.cpp and validatecommand.cpp are listed in app/CMakeLists.txt.
target_sources(studio_core PRIVATE
    cli/cliarguments.h cli/cliarguments.cpp
    cli/jsonquery.h cli/jsonquery.cpp
    cli/outputformatter.h cli/outputformatter.cpp
    cli/yamljson.h cli/yamljson.cpp
    cli/trafficsplit.h cli/trafficsplit.cpp
    cli/specedits.h cli/specedits.cpp
    cli/clisession.h cli/clisession.cpp
    cli/logprinter.h cli/logprinter.cpp
    cli/onlineendpointcommand.h cli/onlineendpointcommand.cpp
    cli/onlinedeploymentcommand.h cli/onlinedeploymentcommand.cpp
)
