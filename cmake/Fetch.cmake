# Pinned downloads at configure time: each archive is named by its address and the hash it
# must have; nothing fetched is ever committed.
#
#   alint_fetch(<name> URL <url> SHA256|SHA512 <hex> [FILE <archive name>]
#               [PATTERNS <glob>...] [DEB] [LICENSE <path in the archive>] OUT <variable>)
#
# downloads <url> into ALINT_DOWNLOAD_DIR (once: a file already there with the right hash is
# reused, which is also how an offline build is fed), checks the hash, extracts it (only
# PATTERNS when given, plus LICENSE; DEB: the data.tar.* of a Debian binary package) under
# <build>/_deps/<name>/ and sets <variable> to that directory. LICENSE names the file that
# goes into <build>/THIRD_PARTY_LICENSES.txt (shipped in the Python package) with the
# archive's address, since the executable then carries that code.
#
# Where from: ALINT_DEBIAN_MIRROR (Debian's archive, for source and header packages) and
# ALINT_NPM_REGISTRY (the npm registry; $npm_config_registry when set), so a build behind a
# company mirror only changes those two.
set(ALINT_DOWNLOAD_DIR "${CMAKE_BINARY_DIR}/_deps/downloads" CACHE PATH
    "Where pinned archives are downloaded (or placed by hand for an offline build)")
set(ALINT_DEBIAN_MIRROR "https://deb.debian.org/debian" CACHE STRING
    "Debian archive the bundled dependencies are fetched from")
if(DEFINED ENV{npm_config_registry} AND NOT "$ENV{npm_config_registry}" STREQUAL "")
  set(_alint_npm_default "$ENV{npm_config_registry}")
else()
  set(_alint_npm_default "https://registry.npmjs.org")
endif()
set(ALINT_NPM_REGISTRY "${_alint_npm_default}" CACHE STRING
    "npm registry the tree-sitter-python grammar (and RE2's sources) are fetched from")
string(REGEX REPLACE "/+$" "" ALINT_NPM_REGISTRY "${ALINT_NPM_REGISTRY}")
string(REGEX REPLACE "/+$" "" ALINT_DEBIAN_MIRROR "${ALINT_DEBIAN_MIRROR}")

function(_alint_hash_ok file algo expected result)
  set(${result} FALSE PARENT_SCOPE)
  if(EXISTS "${file}")
    file(${algo} "${file}" _got)
    if(_got STREQUAL expected)
      set(${result} TRUE PARENT_SCOPE)
    endif()
  endif()
endfunction()

function(alint_fetch name)
  cmake_parse_arguments(F "DEB" "URL;SHA256;SHA512;FILE;OUT;LICENSE" "PATTERNS" ${ARGN})
  if(F_SHA256)
    set(_algo SHA256)
    set(_hash "${F_SHA256}")
  else()
    set(_algo SHA512)
    set(_hash "${F_SHA512}")
  endif()
  if(NOT F_FILE)
    get_filename_component(F_FILE "${F_URL}" NAME)
    string(REPLACE "%2b" "+" F_FILE "${F_FILE}")
    string(REPLACE "%2B" "+" F_FILE "${F_FILE}")
  endif()
  set(_archive "${ALINT_DOWNLOAD_DIR}/${F_FILE}")
  set(_dir "${CMAKE_BINARY_DIR}/_deps/${name}")
  set(_stamp "${_dir}/.alint-extracted")

  _alint_hash_ok("${_archive}" ${_algo} "${_hash}" _ok)
  if(NOT _ok)
    file(MAKE_DIRECTORY "${ALINT_DOWNLOAD_DIR}")
    message(STATUS "Fetching ${name}: ${F_URL}")
    file(DOWNLOAD "${F_URL}" "${_archive}.part" STATUS _status TLS_VERIFY ON)
    list(GET _status 0 _code)
    if(NOT _code EQUAL 0)
      list(GET _status 1 _why)
      file(REMOVE "${_archive}.part")
      message(FATAL_ERROR
        "alembic-lint could not download ${name} (${_why}):\n  ${F_URL}\n"
        "Offline or behind a mirror? Put that file at ${_archive}, or set "
        "ALINT_DEBIAN_MIRROR / ALINT_NPM_REGISTRY (npm_config_registry); or install the "
        "library's development package and pass -DALINT_BUNDLED_DEPS=AUTO.")
    endif()
    _alint_hash_ok("${_archive}.part" ${_algo} "${_hash}" _ok)
    if(NOT _ok)
      file(${_algo} "${_archive}.part" _got)
      file(REMOVE "${_archive}.part")
      message(FATAL_ERROR
        "${name}: ${F_URL} does not have the pinned ${_algo}; refusing to build with it.\n"
        "  expected ${_hash}\n  got      ${_got}")
    endif()
    file(RENAME "${_archive}.part" "${_archive}")
  endif()

  set(_have "")
  if(EXISTS "${_stamp}")
    file(READ "${_stamp}" _have)
  endif()
  if(NOT _have STREQUAL "${_hash}")
    file(REMOVE_RECURSE "${_dir}")
    file(MAKE_DIRECTORY "${_dir}")
    if(F_DEB)
      # A Debian binary package is an ar archive holding data.tar.*.
      file(ARCHIVE_EXTRACT INPUT "${_archive}" DESTINATION "${_dir}/.deb")
      file(GLOB _data "${_dir}/.deb/data.tar.*")
      set(_archive "${_data}")
    endif()
    if(F_PATTERNS)
      if(F_LICENSE)
        list(APPEND F_PATTERNS "${F_LICENSE}")
      endif()
      file(ARCHIVE_EXTRACT INPUT "${_archive}" DESTINATION "${_dir}" PATTERNS ${F_PATTERNS})
    else()
      file(ARCHIVE_EXTRACT INPUT "${_archive}" DESTINATION "${_dir}")
    endif()
    file(REMOVE_RECURSE "${_dir}/.deb")
    file(WRITE "${_stamp}" "${_hash}")
  endif()
  if(F_LICENSE)
    if(NOT EXISTS "${_dir}/${F_LICENSE}")
      message(FATAL_ERROR "${name}: ${F_LICENSE} is not in ${F_URL}")
    endif()
    file(READ "${_dir}/${F_LICENSE}" _text)
    file(APPEND "${ALINT_LICENSES_FILE}"
         "==== ${name}\n${F_URL}\n${_algo} ${_hash}\n\n${_text}\n")
  endif()
  set(${F_OUT} "${_dir}" PARENT_SCOPE)
endfunction()

# Started afresh by every configure; alint_fetch appends what the build links.
set(ALINT_LICENSES_FILE "${CMAKE_BINARY_DIR}/THIRD_PARTY_LICENSES.txt")
file(WRITE "${ALINT_LICENSES_FILE}"
     "Third-party code built into this alembic-lint executable, with where it came from.\n\n")
