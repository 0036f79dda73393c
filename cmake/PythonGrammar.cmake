# Fetches the tree-sitter-python grammar from the npm registry at configure time, checks it
# against the pinned sha512 integrity, and builds it as a static library.
#
# The generated sources are never committed. For offline builds point
# ALINT_TS_PYTHON_TARBALL at a local copy of the pinned .tgz (it is verified the same way), or
# ALINT_TS_PYTHON_DIR at an already extracted `package/` directory (trusted as is).
#
# Pin: 0.23.6 is the newest release whose src/parser.c declares LANGUAGE_VERSION 14, the newest
# ABI Debian bookworm's libtree-sitter 0.20.7 loads.
set(ALINT_TS_PYTHON_VERSION "0.23.6")
set(ALINT_TS_PYTHON_SHA512
    "c8833dcf4a31288c53edb02d3ce860a1597a8135e59a5221b9eee58854f8a013c5fe585aec76b8750052f3602fea130c459a159c5248f0cea62fe4b05a82c3dc")
set(ALINT_TS_PYTHON_TARBALL "" CACHE FILEPATH "Local copy of tree-sitter-python-${ALINT_TS_PYTHON_VERSION}.tgz")
set(ALINT_TS_PYTHON_DIR "" CACHE PATH "Extracted tree-sitter-python package directory (offline builds)")

set(_tsp_cache "${CMAKE_BINARY_DIR}/_deps/tree-sitter-python-${ALINT_TS_PYTHON_VERSION}")
set(_tsp_tgz "${_tsp_cache}/tree-sitter-python-${ALINT_TS_PYTHON_VERSION}.tgz")

function(_alint_verify_tarball path)
  file(SHA512 "${path}" _got)
  if(NOT _got STREQUAL ALINT_TS_PYTHON_SHA512)
    message(FATAL_ERROR
      "tree-sitter-python tarball ${path} does not match the pinned sha512 integrity.\n"
      "  expected ${ALINT_TS_PYTHON_SHA512}\n  got      ${_got}")
  endif()
endfunction()

if(ALINT_TS_PYTHON_DIR)
  set(_tsp_src "${ALINT_TS_PYTHON_DIR}/src")
else()
  if(ALINT_TS_PYTHON_TARBALL)
    _alint_verify_tarball("${ALINT_TS_PYTHON_TARBALL}")
    file(MAKE_DIRECTORY "${_tsp_cache}")
    file(COPY_FILE "${ALINT_TS_PYTHON_TARBALL}" "${_tsp_tgz}" ONLY_IF_DIFFERENT)
  elseif(NOT EXISTS "${_tsp_tgz}")
    find_program(NPM_EXECUTABLE npm)
    alint_require("npm (to fetch the tree-sitter-python grammar, or offline pass -DALINT_TS_PYTHON_TARBALL=<the .tgz>)"
                  NPM_EXECUTABLE DEBIAN npm FEDORA npm ALPINE npm BREW node)
    file(MAKE_DIRECTORY "${_tsp_cache}")
    message(STATUS "Fetching tree-sitter-python@${ALINT_TS_PYTHON_VERSION} from the npm registry")
    execute_process(
      COMMAND "${NPM_EXECUTABLE}" pack "tree-sitter-python@${ALINT_TS_PYTHON_VERSION}"
              --pack-destination "${_tsp_cache}" --silent
      RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_VARIABLE _err)
    if(NOT _rc EQUAL 0 OR NOT EXISTS "${_tsp_tgz}")
      message(FATAL_ERROR "npm pack tree-sitter-python@${ALINT_TS_PYTHON_VERSION} failed (${_rc}):\n${_err}\n"
                          "Offline? Pass -DALINT_TS_PYTHON_TARBALL=/path/to/the.tgz")
    endif()
  endif()
  _alint_verify_tarball("${_tsp_tgz}")
  if(NOT EXISTS "${_tsp_cache}/package/src/parser.c")
    file(ARCHIVE_EXTRACT INPUT "${_tsp_tgz}" DESTINATION "${_tsp_cache}" PATTERNS "package/src/*" "package/LICENSE")
  endif()
  set(_tsp_src "${_tsp_cache}/package/src")
endif()

file(STRINGS "${_tsp_src}/parser.c" _abi REGEX "^#define LANGUAGE_VERSION ")
if(NOT _abi MATCHES "LANGUAGE_VERSION 14$")
  message(FATAL_ERROR "tree-sitter-python in ${_tsp_src} is not ABI 14 (${_abi}); Debian's tree-sitter cannot load it")
endif()

add_library(ts_python STATIC "${_tsp_src}/parser.c" "${_tsp_src}/scanner.c")
target_include_directories(ts_python PRIVATE "${_tsp_src}")
set_target_properties(ts_python PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
# Generated code, not ours: no warnings-as-errors, and always optimised (the parse is the hot path).
target_compile_options(ts_python PRIVATE -w -O2)
