target_sources(studio_core PRIVATE
    deploymentinfo.h deploymentinfo.cpp
    endpointinfo.h endpointinfo.cpp
    deploymentmanager.h deploymentmanager.cpp
    asyncprocess.h asyncprocess.cpp
    containerruntime.h containerruntime.cpp
    deployer.h deployer.cpp
    deploymentplan.h deploymentplan.cpp
    deploymentstore.h deploymentstore.cpp
    dockerruntime.h dockerruntime.cpp
    localport.h localport.cpp
    processruntime.h processruntime.cpp
    readinessprobe.h readinessprobe.cpp
    scoringfiles.h scoringfiles.cpp
    specloader.h specloader.cpp
)

# YAML specs come from models/ (E1); until its parser is part of the build, loading a YAML
# file says so instead of failing to link.
file(READ ${PROJECT_SOURCE_DIR}/models/CMakeLists.txt studio_models_sources)
if(studio_models_sources MATCHES "yamldocument\\.cpp"
        AND studio_models_sources MATCHES "deploymentspec\\.cpp"
        AND studio_models_sources MATCHES "endpointspec\\.cpp")
    set_source_files_properties(specloader.cpp TARGET_DIRECTORY studio_core
        PROPERTIES COMPILE_DEFINITIONS STUDIO_HAVE_YAMLDOCUMENT=1)
endif()
