target_sources(studio_core PRIVATE
    logs.cmake
    logtypes.h logtypes.cpp
    loglineparser.h loglineparser.cpp
    logstore.h logstoreblock.h logstore.cpp
    logquery.h logquery.cpp
    logsearch.h logsearch.cpp
    logfollower.h logfollower.cpp
    logmerge.h logmerge.cpp
)
