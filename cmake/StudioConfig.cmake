# One INTERFACE target that every target of the project links: language level, warnings
# and the strict Qt defines of STYLE.md.
add_library(studio_config INTERFACE)
target_compile_features(studio_config INTERFACE cxx_std_20)
target_compile_options(studio_config INTERFACE -Wall -Wextra -Wpedantic)
if(STUDIO_WERROR)
    target_compile_options(studio_config INTERFACE -Werror)
endif()
target_compile_definitions(studio_config INTERFACE
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    QT_USE_QSTRINGBUILDER)
if(STUDIO_SANITIZE)
    target_compile_options(studio_config INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(studio_config INTERFACE -fsanitize=address,undefined)
endif()
