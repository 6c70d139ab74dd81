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

# YAML specs come from models/ (E1); until its parser lands, loading a YAML file says so.
if(EXISTS ${PROJECT_SOURCE_DIR}/models/yamldocument.cpp
        AND EXISTS ${PROJECT_SOURCE_DIR}/models/deploymentspec.cpp
        AND EXISTS ${PROJECT_SOURCE_DIR}/models/endpointspec.cpp)
    set_source_files_properties(specloader.cpp PROPERTIES COMPILE_DEFINITIONS STUDIO_HAVE_YAMLDOCUMENT=1)
endif()
