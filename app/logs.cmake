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

# The log search matches regexes with PCRE2 directly (the library QtCore uses), for its headers.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
    pkg_check_modules(STUDIO_PCRE2_16 QUIET IMPORTED_TARGET GLOBAL libpcre2-16)
endif()
if(NOT STUDIO_PCRE2_16_FOUND)
    message(FATAL_ERROR "libpcre2-16 (PCRE2 headers, found with pkg-config) is missing: "
        "install the Debian packages libpcre2-dev and pkgconf, e.g. `sudo bash scripts/install-deps.sh`")
endif()
target_link_libraries(studio_core PRIVATE PkgConfig::STUDIO_PCRE2_16)
