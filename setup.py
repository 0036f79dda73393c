"""Build step of the Python package (pyproject.toml): compiles the linter with CMake.

`build_py` configures and builds the `alembic-lint` target, then copies the executable into
the package as `alembic_lint/bin/alembic-lint`; the wheel is tagged for the platform (the
program is native) but for any Python 3. Environment:
  ALINT_CMAKE_BUILD_DIR  build in this CMake tree instead of build-py/cmake in the source
                         (an already configured tree is only brought up to date);
  CMAKE_ARGS             extra arguments for the configure step (e.g. a compiler launcher);
  CMAKE_BUILD_PARALLEL_LEVEL  build jobs (default: every core).
"""

import os
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

ROOT = os.path.dirname(os.path.abspath(__file__))


def project_version():
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        m = re.search(r"project\(alembic_lint VERSION ([0-9][0-9.]*)", f.read())
    if not m:
        sys.exit("setup.py: no `project(alembic_lint VERSION ...)` in CMakeLists.txt")
    return m.group(1)


def run(cmd):
    print("alembic-lint build:", " ".join(shlex.quote(c) for c in cmd), flush=True)
    try:
        subprocess.check_call(cmd)
    except FileNotFoundError:
        sys.exit("alembic-lint build: `%s` is not installed; it needs CMake 3.25 or later "
                 "(Debian/Ubuntu: apt-get install cmake; Homebrew: brew install cmake)" % cmd[0])
    except subprocess.CalledProcessError as e:
        sys.exit("alembic-lint build: `%s` failed (exit status %d); the messages above say "
                 "what is missing" % (" ".join(cmd[:2]), e.returncode))


class BuildWithCMake(build_py):
    def run(self):
        super().run()
        build_dir = os.environ.get("ALINT_CMAKE_BUILD_DIR") or os.path.join(ROOT, "build-py",
                                                                             "cmake")
        build_dir = os.path.abspath(build_dir)
        if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            configure = ["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                         "-DALINT_BUILD_TESTS=OFF", "-DALINT_WERROR=OFF"]
            if shutil.which("ninja"):
                configure += ["-G", "Ninja"]
            configure += shlex.split(os.environ.get("CMAKE_ARGS", ""))
            run(configure)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 2)
        run(["cmake", "--build", build_dir, "--target", "alembic-lint", "-j", jobs])
        dest = os.path.join(self.build_lib, "alembic_lint", "bin")
        os.makedirs(dest, exist_ok=True)
        shutil.copy2(os.path.join(build_dir, "alembic-lint"), os.path.join(dest, "alembic-lint"))
        # The code of the libraries built into the executable travels with their licenses.
        licenses = os.path.join(build_dir, "THIRD_PARTY_LICENSES.txt")
        if os.path.exists(licenses):
            shutil.copy2(licenses, os.path.join(self.build_lib, "alembic_lint",
                                                "THIRD_PARTY_LICENSES.txt"))


class NativeDistribution(Distribution):
    """Carries a native executable: its files go to platlib, at the wheel's root (not under
    .data/purelib), where auditwheel and delocate look for binaries to repair."""

    def has_ext_modules(self):
        return True


cmdclass = {"build_py": BuildWithCMake}
try:
    from wheel.bdist_wheel import bdist_wheel

    class PlatformWheel(bdist_wheel):
        """A native program: a platform wheel, usable from any Python 3."""

        def finalize_options(self):
            super().finalize_options()
            self.root_is_pure = False

        def get_tag(self):
            return ("py3", "none", super().get_tag()[2])

    cmdclass["bdist_wheel"] = PlatformWheel
except ImportError:  # building an sdist only
    pass

# setuptools' own build tree; build/ is the CMake tree of `make`.
os.makedirs(os.path.join(ROOT, "build-py"), exist_ok=True)
setup(
    version=project_version(),
    package_dir={"": "packaging"},
    packages=["alembic_lint"],
    cmdclass=cmdclass,
    distclass=NativeDistribution,
    options={"build": {"build_base": "build-py"}, "egg_info": {"egg_base": "build-py"}},
)
