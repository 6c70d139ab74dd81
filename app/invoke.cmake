target_sources(studio_core PRIVATE
    scoringrequest.h scoringrequest.cpp
    scoringresponse.h scoringresponse.cpp
    scoringclient.h scoringclient.cpp
    invokehistory.h invokehistory.cpp
    requestsnippets.h requestsnippets.cpp
    responseassertion.h responseassertion.cpp
    loadrunner.h loadrunner.cpp
)
