# Locate Wireshark's development files and define the imported target
# macchk::wireshark plus WIRESHARK_VERSION_MAJOR_MINOR ("4.0") and
# WIRESHARK_SYSTEM_PLUGIN_DIR.  Wireshark's own CMake config comes first
# (Debian 12); pkg-config's wireshark.pc is the fallback (Debian 13 and
# later ship only that).

find_package(Wireshark CONFIG QUIET)
if(Wireshark_FOUND)
    add_library(macchk::wireshark INTERFACE IMPORTED)
    target_link_libraries(macchk::wireshark INTERFACE epan)
    set(WIRESHARK_VERSION_MAJOR_MINOR "${Wireshark_MAJOR_VERSION}.${Wireshark_MINOR_VERSION}")
    set(WIRESHARK_SYSTEM_PLUGIN_DIR "${Wireshark_PLUGIN_INSTALL_DIR}")
    message(STATUS "Wireshark ${Wireshark_VERSION} (CMake config)")
else()
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(WIRESHARK_PC REQUIRED IMPORTED_TARGET wireshark)
    add_library(macchk::wireshark INTERFACE IMPORTED)
    target_link_libraries(macchk::wireshark INTERFACE PkgConfig::WIRESHARK_PC)
    string(REGEX MATCH "^[0-9]+\\.[0-9]+" WIRESHARK_VERSION_MAJOR_MINOR "${WIRESHARK_PC_VERSION}")
    pkg_get_variable(WIRESHARK_SYSTEM_PLUGIN_DIR wireshark plugindir)
    message(STATUS "Wireshark ${WIRESHARK_PC_VERSION} (pkg-config)")
endif()

if(NOT WIRESHARK_VERSION_MAJOR_MINOR)
    message(FATAL_ERROR "Could not tell which Wireshark version the development files are for")
endif()
