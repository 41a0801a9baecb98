# Install rules and CPack: `cpack -G DEB` and `cpack -G RPM` build p3p-neuron_<version>_<arch>.deb and
# p3p-neuron-<version>.<arch>.rpm from the same rules (scripts/package.sh), under /usr whatever
# CMAKE_INSTALL_PREFIX a build has; /etc/p3p is absolute on purpose (a config file).
include(GNUInstallDirs)

set(P3P_HOMEPAGE "" CACHE STRING "the project's public homepage, for the packages' metadata (none yet)")

# /etc/p3p/topology.yaml: the default topology with the system's paths.
file(READ ${PROJECT_SOURCE_DIR}/topology/default.yaml p3p_topology)
string(REPLACE "key_file: cluster.key" "key_file: /etc/p3p/cluster.key" p3p_topology "${p3p_topology}")
string(REPLACE "snapshot_dir: snapshots" "snapshot_dir: /var/lib/p3p/snapshots" p3p_topology "${p3p_topology}")
string(REPLACE "dump_path: metrics_dump_core.json" "dump_path: /var/lib/p3p/metrics_dump_core.json" p3p_topology "${p3p_topology}")
foreach(expected "/etc/p3p/cluster.key" "/var/lib/p3p/snapshots" "/var/lib/p3p/metrics_dump_core.json")
  string(FIND "${p3p_topology}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "packaging: topology/default.yaml changed; /etc/p3p/topology.yaml would miss ${expected}")
  endif()
endforeach()
file(WRITE ${PROJECT_BINARY_DIR}/packaging/topology.yaml "${p3p_topology}")

# Bash completion, generated from the verbs and the command table by the p3pctl just built.
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/packaging/p3pctl.bash
                   COMMAND p3pctl completion > ${PROJECT_BINARY_DIR}/packaging/p3pctl.bash
                   DEPENDS p3pctl VERBATIM)
# Man pages, generated from the programs' own --help texts by the programs just built.
foreach(program p3pctl p3p-node)
  if(program STREQUAL "p3pctl")
    set(summary "set up, run and inspect a P3P Neuron cluster")
  else()
    set(summary "one node of a P3P Neuron cluster")
  endif()
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/packaging/${program}.1.gz
                     COMMAND ${PROJECT_SOURCE_DIR}/scripts/man-page.sh $<TARGET_FILE:${program}> ${program} ${summary}
                             ${PROJECT_BINARY_DIR}/packaging/${program}.1.gz
                     DEPENDS ${program} ${PROJECT_SOURCE_DIR}/scripts/man-page.sh VERBATIM)
endforeach()
# Debian wants the changelog compressed without a timestamp.
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/packaging/changelog.gz
                   COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/packaging/changelog > ${PROJECT_BINARY_DIR}/packaging/changelog.gz
                   DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog VERBATIM)
add_custom_target(p3p_packaging_files ALL DEPENDS ${PROJECT_BINARY_DIR}/packaging/p3pctl.bash
                                                  ${PROJECT_BINARY_DIR}/packaging/changelog.gz
                                                  ${PROJECT_BINARY_DIR}/packaging/p3pctl.1.gz
                                                  ${PROJECT_BINARY_DIR}/packaging/p3p-node.1.gz)

set(p3p_doc ${CMAKE_INSTALL_DATAROOTDIR}/doc/p3p-neuron)
install(FILES ${PROJECT_BINARY_DIR}/packaging/topology.yaml DESTINATION /etc/p3p PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
# Relative to the /usr prefix (rpm would mark absolute destinations %config).
install(FILES packaging/systemd/p3p-node@.service packaging/systemd/p3p.target DESTINATION lib/systemd/system)
install(FILES packaging/p3p.sysusers DESTINATION lib/sysusers.d RENAME p3p.conf)
install(FILES packaging/p3p.tmpfiles DESTINATION lib/tmpfiles.d RENAME p3p.conf)
install(FILES ${PROJECT_BINARY_DIR}/packaging/p3pctl.1.gz ${PROJECT_BINARY_DIR}/packaging/p3p-node.1.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_BINARY_DIR}/packaging/p3pctl.bash DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions RENAME p3pctl)
# The license is in `copyright` (Debian's place for it; the same file in the .rpm).
install(FILES README.md packaging/copyright ${PROJECT_BINARY_DIR}/packaging/changelog.gz DESTINATION ${p3p_doc})
install(FILES packaging/README.md DESTINATION ${p3p_doc} RENAME README.packaging.md)
# The Python client, where Debian's python3 finds it (python/README.md); its dependencies are recommended,
# not required, so a node-only machine needs no Python.
install(DIRECTORY python/p3p DESTINATION lib/python3/dist-packages FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
install(FILES python/README.md DESTINATION ${p3p_doc} RENAME README.python.md)
install(FILES python/examples/raster.py DESTINATION ${p3p_doc}/examples)

set(CPACK_PACKAGE_NAME p3p-neuron)
set(CPACK_PACKAGE_VENDOR "the P3P Neuron authors")
set(P3P_MAINTAINER "P3P Neuron authors <p3p-neuron@localhost>" CACHE STRING "the packages' maintainer (no public address yet)")
set(CPACK_PACKAGE_CONTACT ${P3P_MAINTAINER})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "distributed spiking neural network engine")
set(CPACK_PACKAGE_DESCRIPTION "P3P Neuron runs a small distributed brain: p3p-node processes hold
columns of leaky integrate-and-fire neurons that form regions spanning
nodes, exchange spikes over ZeroMQ in signed msgpack envelopes, learn by
dopamine-scaled STDP, take consistent snapshots and export metrics;
p3pctl drives them.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
if(P3P_HOMEPAGE)
  set(CPACK_PACKAGE_HOMEPAGE_URL ${P3P_HOMEPAGE})
endif()
set(CPACK_PACKAGE_FILE_NAME p3p-neuron)  # overridden per generator below
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

# Debian: p3p-neuron_<version>_<arch>.deb, dependencies from dpkg-shlibdeps.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3, python3-zmq, python3-msgpack, python3-numpy, python3-yaml")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-neo, python3-matplotlib")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/debian/postinst ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles)

# RPM: p3p-neuron-<version>.<arch>.rpm, dependencies from rpm's autoreq.
execute_process(COMMAND uname -m OUTPUT_VARIABLE p3p_arch OUTPUT_STRIP_TRAILING_WHITESPACE)
set(CPACK_RPM_FILE_NAME p3p-neuron-${PROJECT_VERSION}.${p3p_arch}.rpm)
set(CPACK_RPM_PACKAGE_LICENSE MIT)
set(CPACK_RPM_PACKAGE_RELOCATABLE OFF)
set(CPACK_RPM_PACKAGE_GROUP "Applications/Engineering")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none")  # the same files as the .deb
set(CPACK_RPM_PACKAGE_REQUIRES "shadow-utils")
set(CPACK_RPM_USER_FILELIST "%config(noreplace) /etc/p3p/topology.yaml")
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION /etc/p3p /usr/lib/systemd /usr/lib/systemd/system /usr/lib/sysusers.d
    /usr/lib/tmpfiles.d /usr/share/bash-completion /usr/share/bash-completion/completions /usr/lib/python3
    /usr/lib/python3/dist-packages)
set(CPACK_RPM_CHANGELOG_FILE ${PROJECT_SOURCE_DIR}/packaging/rpm/changelog)
set(CPACK_RPM_POST_INSTALL_SCRIPT_FILE ${PROJECT_SOURCE_DIR}/packaging/rpm/post.sh)
set(CPACK_RPM_PRE_UNINSTALL_SCRIPT_FILE ${PROJECT_SOURCE_DIR}/packaging/rpm/preun.sh)
set(CPACK_RPM_POST_UNINSTALL_SCRIPT_FILE ${PROJECT_SOURCE_DIR}/packaging/rpm/postun.sh)

include(CPack)
