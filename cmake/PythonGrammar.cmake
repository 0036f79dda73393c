# Fetches the tree-sitter-python grammar from the npm registry at configure time (a plain
# HTTPS download of the package tarball: npm itself is not needed), checks it against the
# pinned sha512 integrity, and builds it as a static library.
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

if(ALINT_TS_PYTHON_DIR)
  set(_tsp_src "${ALINT_TS_PYTHON_DIR}/src")
else()
  # A local copy is checked like a download (alint_fetch reuses a file with the right hash).
  if(ALINT_TS_PYTHON_TARBALL)
    _alint_hash_ok("${ALINT_TS_PYTHON_TARBALL}" SHA512 "${ALINT_TS_PYTHON_SHA512}" _ok)
    if(NOT _ok)
      message(FATAL_ERROR "${ALINT_TS_PYTHON_TARBALL} is not tree-sitter-python "
                          "${ALINT_TS_PYTHON_VERSION}: it does not match the pinned sha512")
    endif()
    file(MAKE_DIRECTORY "${ALINT_DOWNLOAD_DIR}")
    file(COPY_FILE "${ALINT_TS_PYTHON_TARBALL}"
         "${ALINT_DOWNLOAD_DIR}/tree-sitter-python-${ALINT_TS_PYTHON_VERSION}.tgz" ONLY_IF_DIFFERENT)
  endif()
  alint_fetch(tree-sitter-python
              URL "${ALINT_NPM_REGISTRY}/tree-sitter-python/-/tree-sitter-python-${ALINT_TS_PYTHON_VERSION}.tgz"
              SHA512 ${ALINT_TS_PYTHON_SHA512}
              PATTERNS "package/src/*" LICENSE "package/LICENSE"
              OUT _tsp_dir)
  set(_tsp_src "${_tsp_dir}/package/src")
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
