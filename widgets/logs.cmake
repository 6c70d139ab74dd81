target_sources(studio_gui PRIVATE
    logs.cmake
    logview.h logview.cpp
    logpanel.h logpanel.cpp
)
