target_sources(studio_gui PRIVATE
    editormodel.h editormodel.cpp
    yamltextpath.h yamltextpath.cpp
    yamlcompletion.h yamlcompletion.cpp
    yamlfilelinks.h yamlfilelinks.cpp
    yamleditor.h yamleditor.cpp
    trafficsliders.h trafficsliders.cpp
    inspectorform.h inspectorform.cpp
    resourcename.h resourcename.cpp
    templatewizard.h templatewizard.cpp
    newendpointwizard.h newendpointwizard.cpp
    newdeploymentwizard.h newdeploymentwizard.cpp
)
