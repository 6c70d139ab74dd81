set(studio_window_sources
    workspacesnapshot.h
    workspaceloader.h workspaceloader.cpp
    workspacetreemodel.h workspacetreemodel.cpp
    workspacetreedelegate.h workspacetreedelegate.cpp
    studiosettings.h studiosettings.cpp
    settingsdialog.h settingsdialog.cpp
    problemspanel.h problemspanel.cpp
    editorfactory.h editorfactory.cpp
    validationservice.h validationservice.cpp
    editordocument.h editordocument.cpp
    deploymentstatuspage.h deploymentstatuspage.cpp
)
target_sources(studio_gui PRIVATE ${studio_window_sources})

# The window embeds other areas' widgets once their sources exist (re-run cmake to pick them up);
# until then it shows a placeholder page. Only the window's own files see these switches.
set(studio_window_features)
foreach(feature IN ITEMS yamleditor:YAMLEDITOR inspectorform:INSPECTORFORM logpanel:LOGPANEL
        invokepanel:INVOKEPANEL newdeploymentwizard:WIZARDS)
    string(REPLACE ":" ";" pair ${feature})
    list(GET pair 0 file)
    list(GET pair 1 macro)
    if(EXISTS ${PROJECT_SOURCE_DIR}/widgets/${file}.cpp)
        list(APPEND studio_window_features STUDIO_HAVE_${macro})
    endif()
endforeach()
# studio_gui is created in the top-level directory, so the properties must be set there.
# The models' Validator once its sources are in the models' list.
file(READ ${PROJECT_SOURCE_DIR}/models/CMakeLists.txt studio_models_sources)
if(studio_models_sources MATCHES "validator\\.cpp")
    list(APPEND studio_window_features STUDIO_HAVE_VALIDATOR)
    set(STUDIO_HAVE_VALIDATOR_FOR_WINDOW ON CACHE INTERNAL "")
else()
    set(STUDIO_HAVE_VALIDATOR_FOR_WINDOW OFF CACHE INTERNAL "")
endif()
if(studio_models_sources MATCHES "workspace\\.cpp")
    list(APPEND studio_window_features STUDIO_HAVE_WORKSPACE)
endif()
set_source_files_properties(workspaceloader.cpp mainwindow.cpp editorfactory.cpp editordocument.cpp validationservice.cpp
    DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES COMPILE_DEFINITIONS "${studio_window_features}")
message(STATUS "Studio window embeds: ${studio_window_features}")
