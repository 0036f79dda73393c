# alembic-lint: the two commands are `make run` and `make test`; everything else is a helper.
BUILD      ?= build
ASAN_BUILD ?= build-asan
CMAKE_ARGS ?=
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=

.PHONY: run test deps test-deps build build-asan fuzz check-format format bench readme clean \
	test-package

## make run: install what is missing, build, lint the bundled demo repository.
run: build
	@echo "==> alembic-lint check fixtures/demo"
	@./$(BUILD)/alembic-lint check fixtures/demo; status=$$?; \
	  if [ $$status -eq 1 ]; then echo "(exit status 1: the demo repository has findings, as intended)"; \
	  elif [ $$status -ne 0 ]; then exit $$status; fi

## make test: install what is missing, build (plain and ASan+UBSan), run every test.
test: check-format test-deps build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && { ulimit -s 262144 2>/dev/null || true; } && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -L sanitize

deps:
	@.ci/install-deps.sh build

test-deps:
	@.ci/install-deps.sh test

## The plain tree builds every dependency it can from the pinned copies (ALINT_BUNDLED_DEPS=ON,
## as the release wheels do) and the ASan+UBSan tree uses the system's (OFF), so `make test`
## runs the suite on both; both require libpq, so `status` is always tested.
$(BUILD)/build.ninja: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALINT_BUNDLED_DEPS=ON \
	  -DALINT_WITH_LIBPQ=ON $(CMAKE_ARGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

## The ASan+UBSan tree is built with clang and carries the libFuzzer targets (fuzz/).
build-asan: test-deps
	@[ -f $(ASAN_BUILD)/build.ninja ] || cmake -S . -B $(ASAN_BUILD) -G Ninja \
	  -DCMAKE_BUILD_TYPE=Debug -DALINT_SANITIZE=ON -DALINT_FUZZ=ON \
	  -DALINT_BUNDLED_DEPS=OFF -DALINT_WITH_LIBPQ=ON \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)

## make fuzz: every fuzz target for FUZZ_SECONDS each (or FUZZ_TARGETS="sql e2e"), one at a
## time at nice 19; corpora stay in $(ASAN_BUILD)/fuzz/corpus/, crashers beside them.
fuzz: build-asan
	fuzz/run.sh $(ASAN_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

## make test-package: pip installs the work tree into a clean virtualenv, building the linter
## from scratch twice: as a user's `pip install .` does (the system's libraries where found),
## then as the release workflow does (every library from its pinned copy, pkg-config hidden).
## make test reuses $(BUILD) for the same test.
test-package: test-deps
	/usr/bin/python3 tests/integration/package_test.py --source-dir .
	/usr/bin/python3 tests/integration/package_test.py --source-dir . --bundled

check-format: test-deps
	@files=$$(git ls-files '*.cc' '*.h' 2>/dev/null); \
	  if [ -n "$$files" ]; then clang-format --dry-run --Werror $$files; fi

format:
	@git ls-files '*.cc' '*.h' | xargs -r clang-format -i

bench: build
	cmake -S . -B $(BUILD) -DALINT_BUILD_BENCH=ON && cmake --build $(BUILD) -j $(JOBS)
	bench/run.sh $(BUILD)

## make readme: regenerate README.md's rule index from the rules and their docs.
readme: build
	@./$(BUILD)/alembic-lint rules --format markdown > $(BUILD)/rules.md
	@/usr/bin/python3 -c 'import sys; r=open("README.md").read(); t=open(sys.argv[1]).read(); \
	  b="<!-- rules:start -->\n"; e="<!-- rules:end -->"; i=r.index(b)+len(b); j=r.index(e); \
	  open("README.md","w").write(r[:i]+t+r[j:])' $(BUILD)/rules.md

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
