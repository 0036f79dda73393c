# The libraries alembic-lint builds against, each found quietly; a missing one stops the
# configure step with one message naming it and the package that provides it on Debian/Ubuntu,
# Fedora, Alpine and Homebrew (names of the packages' development files, as of 2026).
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

find_package(PkgConfig QUIET)
alint_require("pkg-config" PKG_CONFIG_FOUND DEBIAN pkg-config FEDORA pkgconf-pkg-config
              ALPINE pkgconf BREW pkgconf)
pkg_check_modules(TREE_SITTER QUIET IMPORTED_TARGET tree-sitter)
alint_require("the tree-sitter runtime library" TREE_SITTER_FOUND DEBIAN libtree-sitter-dev
              FEDORA libtree-sitter-devel ALPINE tree-sitter-dev BREW tree-sitter)
# RE2 for every regex: untrusted patterns and text need linear time.
pkg_check_modules(RE2 QUIET IMPORTED_TARGET re2)
alint_require("RE2" RE2_FOUND DEBIAN libre2-dev FEDORA re2-devel ALPINE re2-dev BREW re2)
find_package(fmt QUIET)
alint_require("{fmt}" fmt_FOUND DEBIAN libfmt-dev FEDORA fmt-devel ALPINE fmt-dev BREW fmt)
find_package(nlohmann_json 3.10 QUIET)
alint_require("nlohmann-json 3.10 or later" nlohmann_json_FOUND DEBIAN nlohmann-json3-dev
              FEDORA json-devel ALPINE nlohmann-json BREW nlohmann-json)
# simdjson reads libpg_query's JSON parse trees: a DOM of maps cost more than the SQL parse
# itself (lint/sql/pg_json.h).
find_package(simdjson QUIET)
alint_require("simdjson" simdjson_FOUND DEBIAN libsimdjson-dev FEDORA simdjson-devel
              ALPINE simdjson-dev BREW simdjson)
find_package(tomlplusplus QUIET)
alint_require("toml++" tomlplusplus_FOUND DEBIAN libtomlplusplus-dev FEDORA tomlplusplus-devel
              ALPINE tomlplusplus-dev BREW tomlplusplus)
find_package(CLI11 QUIET)
alint_require("CLI11" CLI11_FOUND DEBIAN libcli11-dev FEDORA cli11-devel ALPINE cli11
              BREW cli11)
# libpq: `status` reads the version table and pg_locks of a live database (lint/db).
find_package(PostgreSQL QUIET)
alint_require("libpq (PostgreSQL's client library)" PostgreSQL_FOUND DEBIAN libpq-dev
              FEDORA libpq-devel ALPINE libpq-dev BREW libpq)
find_package(Threads REQUIRED)
# libpg_query (PostgreSQL's own parser as a library): no source distribution of it is on the
# registries this project builds from, so it stays a system requirement.
find_path(PG_QUERY_INCLUDE_DIR pg_query.h)
find_library(PG_QUERY_LIBRARY NAMES libpg_query.a pg_query)
if(EXISTS "${PG_QUERY_INCLUDE_DIR}/pg_query.h" AND EXISTS "${PG_QUERY_LIBRARY}")
  set(ALINT_PG_QUERY_FOUND TRUE)
endif()
alint_require("libpg_query (PostgreSQL's parser as a library)" ALINT_PG_QUERY_FOUND
              DEBIAN libpg-query-dev FEDORA "libpg_query-devel (or build it from https://github.com/pganalyze/libpg_query: make && make install)"
              ALPINE libpg_query-dev BREW libpg_query)
