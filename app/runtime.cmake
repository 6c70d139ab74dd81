target_sources(studio_core PRIVATE
    deploymentinfo.h deploymentinfo.cpp
    endpointinfo.h endpointinfo.cpp
    deploymentmanager.h deploymentmanager.cpp
)
