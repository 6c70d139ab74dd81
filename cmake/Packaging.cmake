# `make package`: install rules and a Debian package (CPack DEB) of both programs, the desktop
# entry and icon, and the examples. Included from the top CMakeLists.txt.
include(GNUInstallDirs)

install(TARGETS endpoint-studio endpointctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/resources/desktop/endpoint-studio.desktop
    DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/desktop/endpoint-studio.svg
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
# The examples, to open with `endpoint-studio /usr/share/endpoint-studio/examples/linear-python`.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples
    DESTINATION ${CMAKE_INSTALL_DATADIR}/endpoint-studio
    PATTERN "__pycache__" EXCLUDE PATTERN "*.pyc" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/endpoint-studio)

# Dependencies: the shared libraries, found by dpkg-shlibdeps, and what the programs load or
# start at run time, which is the runtime group of scripts/install-deps.sh (the one list).
execute_process(COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/install-deps.sh --list runtime
    OUTPUT_VARIABLE studio_runtime_packages OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE studio_list_result)
if(NOT studio_list_result EQUAL 0 OR studio_runtime_packages STREQUAL "")
    message(FATAL_ERROR "scripts/install-deps.sh --list runtime failed: the .deb needs its list")
endif()
string(REPLACE "\n" ", " studio_runtime_packages "${studio_runtime_packages}")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME endpoint-studio)
set(CPACK_PACKAGE_VENDOR "Endpoint Studio")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Build, deploy locally and test Azure Machine Learning online endpoints")
set(CPACK_PACKAGE_DESCRIPTION
    "A desktop application (Qt 6) and a command line (endpointctl) for the endpoint.yml and \
deployment YAML files of Azure Machine Learning online endpoints: editing with validation, \
local deployment into Docker containers or host processes, logs and test requests.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "Endpoint Studio <endpoint-studio@localhost>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${studio_runtime_packages}")
# Deployments run in Docker containers when an engine answers, else as host processes.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "docker.io")
set(CPACK_STRIP_FILES ON)
include(CPack)
