target_sources(studio_gui PRIVATE
    requestbodyeditor.h requestbodyeditor.cpp
    responseview.h responseview.cpp
    latencychart.h latencychart.cpp
    invokepanel.h invokepanel.cpp
)
