# The libraries alembic-lint builds against. Each one becomes an `alint::<name>` target, from
# one of two places:
#   - the system's copy (pkg-config or the library's CMake package), found quietly;
#   - a pinned copy fetched at configure time and built here (cmake/Fetch.cmake checks its
#     hash; nothing is committed): Debian's source archive for most, the npm registry for RE2
#     (Debian's RE2 sources lack the generated Unicode tables) and Debian's header package for
#     toml++ (its source archive is not served by the registry this project builds from).
# ALINT_BUNDLED_DEPS picks: AUTO (the default) takes the system's copy and falls back to the
# pinned one; ON always builds the pinned ones (wheels, and one `make test` tree); OFF never
# fetches, and a missing library stops the configure step with one message naming it and the
# package that provides it on Debian/Ubuntu, Fedora, Alpine and Homebrew.
# libpq (only `status` uses it) is never bundled: ALINT_WITH_LIBPQ=AUTO builds without `status`
# when it is missing (the command then says how to get it), ON requires it.
#
#   alint_require(<what> <found-variable> DEBIAN <pkg> FEDORA <pkg> ALPINE <pkg> BREW <pkg>)

function(alint_require what found)
  cmake_parse_arguments(PKG "" "DEBIAN;FEDORA;ALPINE;BREW" "" ${ARGN})
  set(_value "${${found}}")
  if(_value)  # TRUE, or a path; not empty, FALSE or *-NOTFOUND
    return()
  endif()
  message(FATAL_ERROR
    "alembic-lint needs ${what}, which was not found.\n"
    "Install its development files:\n"
    "  Debian/Ubuntu: apt-get install ${PKG_DEBIAN}\n"
    "  Fedora:        dnf install ${PKG_FEDORA}\n"
    "  Alpine:        apk add ${PKG_ALPINE}\n"
    "  Homebrew:      brew install ${PKG_BREW}\n"
    "(on Debian/Ubuntu, .ci/install-deps.sh build installs every one), or point CMake at an "
    "installed copy with -DCMAKE_PREFIX_PATH=<prefix>.")
endfunction()

include("${CMAKE_CURRENT_LIST_DIR}/Fetch.cmake")

set(ALINT_BUNDLED_DEPS AUTO CACHE STRING
    "AUTO: system libraries, else pinned copies; ON: always the pinned copies; OFF: system only")
set_property(CACHE ALINT_BUNDLED_DEPS PROPERTY STRINGS AUTO ON OFF)
set(ALINT_WITH_LIBPQ AUTO CACHE STRING
    "AUTO: build `status` when libpq is found; ON: require libpq; OFF: build without it")
set_property(CACHE ALINT_WITH_LIBPQ PROPERTY STRINGS AUTO ON OFF)
if(NOT ALINT_BUNDLED_DEPS MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "ALINT_BUNDLED_DEPS is AUTO, ON or OFF, not `${ALINT_BUNDLED_DEPS}`")
endif()
if(NOT ALINT_WITH_LIBPQ MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "ALINT_WITH_LIBPQ is AUTO, ON or OFF, not `${ALINT_WITH_LIBPQ}`")
endif()
set(ALINT_TRY_SYSTEM TRUE)
if(ALINT_BUNDLED_DEPS STREQUAL "ON")
  set(ALINT_TRY_SYSTEM FALSE)
endif()
set(ALINT_BUNDLED "" CACHE INTERNAL "")
set(_alint_bundled "")

find_package(Threads REQUIRED)
if(ALINT_TRY_SYSTEM)
  find_package(PkgConfig QUIET)
  if(ALINT_BUNDLED_DEPS STREQUAL "OFF")
    alint_require("pkg-config" PKG_CONFIG_FOUND DEBIAN pkg-config FEDORA pkgconf-pkg-config
                  ALPINE pkgconf BREW pkgconf)
  endif()
endif()

# alint_use(<name> <found> <system target> <what> DEBIAN .. FEDORA .. ALPINE .. BREW ..)
# makes alint::<name> the system's copy when <found>, stops when bundling is OFF, and otherwise
# returns with ALINT_BUNDLE_<name> set: the caller then builds the pinned copy.
macro(alint_use name found target what)
  add_library(alint_dep_${name} INTERFACE)
  add_library(alint::${name} ALIAS alint_dep_${name})
  set(ALINT_BUNDLE_${name} FALSE)
  if(ALINT_TRY_SYSTEM AND ${found})
    target_link_libraries(alint_dep_${name} INTERFACE ${target})
  elseif(ALINT_BUNDLED_DEPS STREQUAL "OFF")
    alint_require("${what}" ${found} ${ARGN})
  else()
    set(ALINT_BUNDLE_${name} TRUE)
    list(APPEND _alint_bundled ${name})
    if(ALINT_TRY_SYSTEM)
      message(STATUS "${what}: not found on this system; building the pinned copy")
    endif()
  endif()
endmacro()

# Code that is not ours: built with the project's compiler and build type, no warnings.
function(alint_bundled_library target kind)
  add_library(${target} ${kind} ${ARGN})
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_compile_options(${target} PRIVATE -w)
endfunction()

set(_deb "${ALINT_DEBIAN_MIRROR}/pool/main")

# tree-sitter's runtime (Debian bookworm's version, the ABI the grammar pin is chosen for).
if(ALINT_TRY_SYSTEM AND PKG_CONFIG_FOUND)
  pkg_check_modules(TREE_SITTER QUIET IMPORTED_TARGET tree-sitter)
endif()
alint_use(tree_sitter TREE_SITTER_FOUND PkgConfig::TREE_SITTER "the tree-sitter runtime library"
          DEBIAN libtree-sitter-dev FEDORA libtree-sitter-devel ALPINE tree-sitter-dev
          BREW tree-sitter)
if(ALINT_BUNDLE_tree_sitter)
  alint_fetch(tree-sitter URL "${_deb}/t/tree-sitter/tree-sitter_0.20.7.orig.tar.xz"
              SHA256 e8c0573be475dce5b024d83628a3eb47376923da701376e55a11804cc5d25487
              PATTERNS "tree-sitter-0.20.7/lib/*" LICENSE "tree-sitter-0.20.7/LICENSE" OUT _src)
  set(_src "${_src}/tree-sitter-0.20.7/lib")
  alint_bundled_library(alint_bundled_tree_sitter STATIC "${_src}/src/lib.c")
  set_target_properties(alint_bundled_tree_sitter PROPERTIES C_STANDARD 99)
  target_include_directories(alint_bundled_tree_sitter SYSTEM PUBLIC "${_src}/include"
                             PRIVATE "${_src}/src")
  target_link_libraries(alint_dep_tree_sitter INTERFACE alint_bundled_tree_sitter)
endif()

# RE2 for every regex: untrusted patterns and text need linear time. The pinned copy is the
# RE2 release Debian bookworm ships (2022-06-01), as vendored by the npm package `re2`, whose
# sources include the generated Unicode tables that Debian's repacked sources leave out.
if(ALINT_TRY_SYSTEM AND PKG_CONFIG_FOUND)
  pkg_check_modules(RE2 QUIET IMPORTED_TARGET re2)
endif()
alint_use(re2 RE2_FOUND PkgConfig::RE2 "RE2"
          DEBIAN libre2-dev FEDORA re2-devel ALPINE re2-dev BREW re2)
if(ALINT_BUNDLE_re2)
  alint_fetch(re2 URL "${ALINT_NPM_REGISTRY}/re2/-/re2-1.17.7.tgz"
              SHA512 5fc192ba2068556c1c8eea69a928ec2244713542837638643bd4817a441b67692ca96511782cbb0d03d6395a684e7a5db5dcf93c8a534f14c5cef26fe5431f8c
              PATTERNS "package/vendor/re2/*" "package/vendor/util/*"
              LICENSE "package/vendor/LICENSE" OUT _src)
  set(_src "${_src}/package/vendor")
  set(_re2_sources "")
  foreach(f bitstate compile dfa filtered_re2 mimics_pcre nfa onepass parse perl_groups
            prefilter prefilter_tree prog re2 regexp set simplify stringpiece tostring
            unicode_casefold unicode_groups)
    list(APPEND _re2_sources "${_src}/re2/${f}.cc")
  endforeach()
  alint_bundled_library(alint_bundled_re2 STATIC ${_re2_sources} "${_src}/util/rune.cc"
                        "${_src}/util/strutil.cc")
  target_include_directories(alint_bundled_re2 SYSTEM PUBLIC "${_src}")
  target_link_libraries(alint_bundled_re2 PRIVATE Threads::Threads)
  target_link_libraries(alint_dep_re2 INTERFACE alint_bundled_re2)
endif()

if(ALINT_TRY_SYSTEM)
  find_package(fmt QUIET)
endif()
alint_use(fmt fmt_FOUND fmt::fmt "{fmt}"
          DEBIAN libfmt-dev FEDORA fmt-devel ALPINE fmt-dev BREW fmt)
if(ALINT_BUNDLE_fmt)
  alint_fetch(fmt URL "${_deb}/f/fmtlib/fmtlib_9.1.0%2bds1.orig.tar.gz"
              SHA256 84ce1c2d0be3a9863935137969dcec6970125caac032f82474640bfc81463583
              PATTERNS "fmtlib-9.1.0+ds1/include/*" "fmtlib-9.1.0+ds1/src/*"
              LICENSE "fmtlib-9.1.0+ds1/LICENSE.rst" OUT _src)
  set(_src "${_src}/fmtlib-9.1.0+ds1")
  alint_bundled_library(alint_bundled_fmt STATIC "${_src}/src/format.cc" "${_src}/src/os.cc")
  target_include_directories(alint_bundled_fmt SYSTEM PUBLIC "${_src}/include")
  target_link_libraries(alint_dep_fmt INTERFACE alint_bundled_fmt)
endif()

if(ALINT_TRY_SYSTEM)
  find_package(nlohmann_json 3.10 QUIET)
endif()
alint_use(json nlohmann_json_FOUND nlohmann_json::nlohmann_json "nlohmann-json 3.10 or later"
          DEBIAN nlohmann-json3-dev FEDORA json-devel ALPINE nlohmann-json BREW nlohmann-json)
if(ALINT_BUNDLE_json)
  alint_fetch(nlohmann-json URL "${_deb}/n/nlohmann-json3/nlohmann-json3_3.11.2.orig.tar.gz"
              SHA256 d69f9deb6a75e2580465c6c4c5111b89c4dc2fa94e3a85fcd2ffcd9a143d9273
              PATTERNS "json-3.11.2/include/*" LICENSE "json-3.11.2/LICENSE.MIT" OUT _src)
  target_include_directories(alint_dep_json SYSTEM INTERFACE "${_src}/json-3.11.2/include")
endif()

# simdjson reads libpg_query's JSON parse trees: a DOM of maps cost more than the SQL parse
# itself (lint/sql/pg_json.h).
if(ALINT_TRY_SYSTEM)
  find_package(simdjson QUIET)
endif()
alint_use(simdjson simdjson_FOUND simdjson::simdjson "simdjson"
          DEBIAN libsimdjson-dev FEDORA simdjson-devel ALPINE simdjson-dev BREW simdjson)
if(ALINT_BUNDLE_simdjson)
  alint_fetch(simdjson URL "${_deb}/s/simdjson/simdjson_3.0.1.orig.tar.gz"
              SHA256 156b1bc5eb0561b2bd166b46d191fd3d95a3e709cc63761477d3b7aec2b6e9ed
              PATTERNS "simdjson-3.0.1/singleheader/simdjson.*"
              LICENSE "simdjson-3.0.1/LICENSE" OUT _src)
  set(_src "${_src}/simdjson-3.0.1/singleheader")
  alint_bundled_library(alint_bundled_simdjson STATIC "${_src}/simdjson.cpp")
  target_include_directories(alint_bundled_simdjson SYSTEM PUBLIC "${_src}")
  target_link_libraries(alint_dep_simdjson INTERFACE alint_bundled_simdjson)
endif()

# toml++ is header-only: the pinned copy is the headers of Debian's libtomlplusplus-dev.
if(ALINT_TRY_SYSTEM)
  find_package(tomlplusplus QUIET)
endif()
alint_use(toml tomlplusplus_FOUND tomlplusplus::tomlplusplus "toml++"
          DEBIAN libtomlplusplus-dev FEDORA tomlplusplus-devel ALPINE tomlplusplus-dev
          BREW tomlplusplus)
if(ALINT_BUNDLE_toml)
  alint_fetch(tomlplusplus
              URL "${_deb}/t/tomlplusplus/libtomlplusplus-dev_3.3.0%2bds-1_amd64.deb"
              SHA256 2779cce0001466dcf60eb6262ff68a888d49f9e30aee80c499d1d4f6f9f6e12e
              DEB PATTERNS "./usr/include/*"
              LICENSE "./usr/share/doc/libtomlplusplus-dev/copyright" OUT _src)
  target_include_directories(alint_dep_toml SYSTEM INTERFACE "${_src}/usr/include")
  target_compile_definitions(alint_dep_toml INTERFACE TOML_HEADER_ONLY=1)
endif()

if(ALINT_TRY_SYSTEM)
  find_package(CLI11 QUIET)
endif()
alint_use(cli11 CLI11_FOUND CLI11::CLI11 "CLI11"
          DEBIAN libcli11-dev FEDORA cli11-devel ALPINE cli11 BREW cli11)
if(ALINT_BUNDLE_cli11)
  alint_fetch(cli11 URL "${_deb}/c/cli11/cli11_2.1.2%2bds.orig.tar.xz"
              SHA256 8143d20b688e98ccce8e24562d3b68e5f47c12e896c42c7ca8553dbde5bed55d
              PATTERNS "CLI11-2.1.2/include/*" LICENSE "CLI11-2.1.2/LICENSE" OUT _src)
  target_include_directories(alint_dep_cli11 SYSTEM INTERFACE "${_src}/CLI11-2.1.2/include")
endif()

# libpg_query (PostgreSQL's parser as a library). The pinned copy is the newest Debian
# carries on the registry (17-6.1.0, PostgreSQL 17's grammar; bookworm's 15-4.0.0 sources are
# not served): it accepts every statement 15's does, and the test suite passes on both.
if(ALINT_TRY_SYSTEM)
  find_path(PG_QUERY_INCLUDE_DIR pg_query.h)
  find_library(PG_QUERY_LIBRARY NAMES libpg_query.a pg_query)
  if(EXISTS "${PG_QUERY_INCLUDE_DIR}/pg_query.h" AND EXISTS "${PG_QUERY_LIBRARY}")
    set(ALINT_PG_QUERY_FOUND TRUE)
    add_library(alint_system_pg_query INTERFACE)
    target_include_directories(alint_system_pg_query SYSTEM INTERFACE "${PG_QUERY_INCLUDE_DIR}")
    target_link_libraries(alint_system_pg_query INTERFACE "${PG_QUERY_LIBRARY}")
  endif()
endif()
alint_use(pg_query ALINT_PG_QUERY_FOUND alint_system_pg_query
          "libpg_query (PostgreSQL's parser as a library)"
          DEBIAN libpg-query-dev
          FEDORA "libpg_query-devel (or build it from https://github.com/pganalyze/libpg_query: make && make install)"
          ALPINE libpg_query-dev BREW libpg_query)
if(ALINT_BUNDLE_pg_query)
  alint_fetch(libpg_query URL "${_deb}/libp/libpg-query/libpg-query_17-6.1.0.orig.tar.gz"
              SHA256 a3dc0e4084a23da35128d4e9809ff27241c29a44fde74ba40a378b33d2cdefe2
              PATTERNS "libpg_query-17-6.1.0/pg_query.h"
                       "libpg_query-17-6.1.0/src/*" "libpg_query-17-6.1.0/vendor/*"
                       "libpg_query-17-6.1.0/protobuf/pg_query.pb-c.*"
              LICENSE "libpg_query-17-6.1.0/LICENSE" OUT _src)
  set(_src "${_src}/libpg_query-17-6.1.0")
  file(GLOB _pgq_sources "${_src}/src/*.c" "${_src}/src/postgres/*.c")
  alint_bundled_library(alint_bundled_pg_query STATIC ${_pgq_sources}
                        "${_src}/vendor/protobuf-c/protobuf-c.c" "${_src}/vendor/xxhash/xxhash.c"
                        "${_src}/protobuf/pg_query.pb-c.c")
  target_include_directories(alint_bundled_pg_query SYSTEM PUBLIC "${_src}"
                             PRIVATE "${_src}/vendor" "${_src}/src/include"
                                     "${_src}/src/postgres/include")
  target_compile_options(alint_bundled_pg_query PRIVATE -fwrapv -fno-strict-aliasing)
  target_link_libraries(alint_bundled_pg_query PRIVATE Threads::Threads)
  target_link_libraries(alint_dep_pg_query INTERFACE alint_bundled_pg_query)
endif()

# libpq: `status` reads the version table and pg_locks of a live database (lint/db).
set(ALINT_HAVE_LIBPQ FALSE)
if(NOT ALINT_WITH_LIBPQ STREQUAL "OFF")
  find_package(PostgreSQL QUIET)
  if(ALINT_WITH_LIBPQ STREQUAL "ON")
    alint_require("libpq (PostgreSQL's client library)" PostgreSQL_FOUND DEBIAN libpq-dev
                  FEDORA libpq-devel ALPINE libpq-dev BREW libpq)
  endif()
  if(PostgreSQL_FOUND)
    set(ALINT_HAVE_LIBPQ TRUE)
  else()
    message(STATUS "libpq not found: building without `alembic-lint status` (install libpq's "
                   "development files, e.g. apt-get install libpq-dev, to have it)")
  endif()
endif()

# mimalloc replaces malloc in the executable (optional; see CMakeLists.txt). The pinned copy is
# linked as one object file, which overrides the C library's malloc on Linux; elsewhere a
# build without a system mimalloc keeps the platform's malloc.
set(ALINT_MIMALLOC_TARGET "")
if(ALINT_MIMALLOC AND NOT ALINT_SANITIZE AND NOT ALINT_FUZZ)
  if(ALINT_TRY_SYSTEM)
    find_package(mimalloc 2.0 QUIET)
  endif()
  if(ALINT_TRY_SYSTEM AND mimalloc_FOUND)
    set(ALINT_MIMALLOC_TARGET mimalloc)
  elseif(NOT ALINT_BUNDLED_DEPS STREQUAL "OFF" AND CMAKE_SYSTEM_NAME STREQUAL "Linux")
    alint_fetch(mimalloc URL "${_deb}/m/mimalloc/mimalloc_2.0.9%2bds.orig.tar.xz"
                SHA256 cbc9d207ff105ad1f0cb739c378076143a6452b8d0624309cea0abfb040e972b
                PATTERNS "mimalloc-2.0.9+ds/src/*" "mimalloc-2.0.9+ds/include/*"
                LICENSE "mimalloc-2.0.9+ds/LICENSE" OUT _src)
    set(_src "${_src}/mimalloc-2.0.9+ds")
    alint_bundled_library(alint_bundled_mimalloc OBJECT "${_src}/src/static.c")
    target_include_directories(alint_bundled_mimalloc PRIVATE "${_src}/include")
    target_compile_definitions(alint_bundled_mimalloc PRIVATE MI_MALLOC_OVERRIDE)
    set(ALINT_MIMALLOC_TARGET alint_bundled_mimalloc)
    list(APPEND _alint_bundled mimalloc)
  else()
    message(STATUS "mimalloc not found: alembic-lint uses the C library's malloc")
  endif()
endif()

set(ALINT_BUNDLED "${_alint_bundled}" CACHE INTERNAL "Dependencies built from pinned copies")
if(_alint_bundled)
  string(REPLACE ";" ", " _list "${_alint_bundled}")
  message(STATUS "Built from pinned copies: ${_list}")
endif()
