# `cmake -DLONTAR_PACKAGE=ON` then `cpack -G DEB`: a Debian package with the two
# programs, their manual pages (help2man, from --help), the systemd unit, the README
# and the Debian copyright, changelog and README.Debian. scripts/package.sh does it.
find_program(HELP2MAN help2man REQUIRED)
find_program(GZIP gzip REQUIRED)

set(lontar_man "${CMAKE_BINARY_DIR}/man")
foreach(program lontar lontar-lock)
  set(page "${lontar_man}/${program}.1.gz")
  add_custom_command(
    OUTPUT "${page}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${lontar_man}"
    COMMAND ${HELP2MAN} --no-info --no-discard-stderr --version-string=${PROJECT_VERSION}
            --name=${program} --section=1 $<TARGET_FILE:${program}> > "${lontar_man}/${program}.1"
    COMMAND ${GZIP} -9nf "${lontar_man}/${program}.1"
    DEPENDS ${program}
    VERBATIM)
  list(APPEND lontar_pages "${page}")
endforeach()
add_custom_target(manpages ALL DEPENDS ${lontar_pages})
install(FILES ${lontar_pages} DESTINATION share/man/man1)

set(doc share/doc/lontar)
install(FILES packaging/lontar.service DESTINATION /lib/systemd/system)
install(FILES README.md packaging/copyright packaging/README.Debian DESTINATION ${doc})
add_custom_command(
  OUTPUT "${CMAKE_BINARY_DIR}/changelog.gz"
  COMMAND ${GZIP} -9nc "${PROJECT_SOURCE_DIR}/packaging/changelog" > "${CMAKE_BINARY_DIR}/changelog.gz"
  DEPENDS packaging/changelog
  VERBATIM)
add_custom_target(debian_changelog ALL DEPENDS "${CMAKE_BINARY_DIR}/changelog.gz")
install(FILES "${CMAKE_BINARY_DIR}/changelog.gz" DESTINATION ${doc})

set(example_config "${CMAKE_BINARY_DIR}/examples/lontar.toml")
add_custom_command(
  OUTPUT "${example_config}"
  COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/examples"
  COMMAND $<TARGET_FILE:lontar> default-config > "${example_config}"
  DEPENDS lontar
  VERBATIM)
add_custom_target(default_config ALL DEPENDS "${example_config}")
install(FILES "${example_config}" DESTINATION ${doc}/examples)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lontar)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Lontar developers <lontar@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "electronic certificates for an institution, from request to revocation")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Lontar is a certificate authority with a portal for an institution's people.\n\
Applicants request signing certificates (keys made locally or held by the\n\
server), verifiers approve, the CA issues; OCSP, CRL, timestamps, CMP and\n\
PAdES document signing with a QR code that proves each signed letter.")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/lontar-pki/lontar")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${PROJECT_SOURCE_DIR}/packaging/postinst")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
