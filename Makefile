# routerisk — the two commands of the README, and the benchmarks.
#   make run    install what is missing, build (release), score the bundled sample scene
#   make test   install what is missing, run every test, each fuzzer for 60 s, the suite under ASan
#   make suite  the test suite only (the edit–test loop)
#   make bench  wall time and peak memory per stage (sample scene; bench scenes of 20 k and 200 k events at
#               5 and 2 km; BENCH_SCALES="20k 200k 1m" adds the 1 M scene); make bench-plot: docs figures

SWIFT ?= swift
# Debian packages: GEOS, PROJ, GDAL and GLPK headers for the build, OpenSSL's libcrypto (SHA-256 of the
# inputs); gdal-bin (ogrinfo) for the tests.
DEB_PACKAGES := pkg-config libgeos-dev libproj-dev libgdal-dev gdal-bin libglpk-dev libssl-dev
# The tests also open the replay page in headless Chromium, validate the notebook with nbformat
# and check the sample-scene generator's scenario knobs (Debian's python3 with shapely).
TEST_PACKAGES := chromium python3-nbformat python3-shapely
# QGIS headless checks the layers' styles (python3-qgis); PostGIS in and out runs against a
# throwaway PostgreSQL cluster that Tests/tools/with-postgres.sh starts and stops.
TEST_PACKAGES += python3-qgis postgresql postgresql-15-postgis-3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
OUT ?= routerisk-out

.PHONY: deps test-deps install-missing build run test bench bench-plot notebook docs-map asan tsan ubsan fuzz fuzz-build suite clean

# The bench scenes make bench runs (bench/run_bench.py: 20k, 200k, 1m).
BENCH_SCALES ?= 20k 200k

deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(DEB_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory install-missing PACKAGES="$(DEB_PACKAGES) $(TEST_PACKAGES)"

# Installs, with apt-get, those of $(PACKAGES) that are not installed yet.
install-missing:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product routerisk

run: build
	.build/release/routerisk score --out $(OUT) --overwrite

# The CLI tests run the release binary, the one `make run` builds and analysts use (ten times
# faster than the debug build on the national sample scene); the ASan suite runs its own build.
test: test-deps
	/usr/bin/python3 data/test_scenarios.py
	$(SWIFT) build -c release --product routerisk
	$(SWIFT) build --build-tests
	ROUTERISK_BIN=$(CURDIR)/.build/release/routerisk Tests/tools/with-postgres.sh $(SWIFT) test --skip-build --disable-swift-testing
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS) FUZZ_SEED=1
	$(MAKE) --no-print-directory asan

# The suite alone, for the edit–test loop (make test adds the fuzzers' short runs and the ASan suite).
suite: test-deps
	$(SWIFT) build --build-tests
	Tests/tools/with-postgres.sh $(SWIFT) test --skip-build --disable-swift-testing

# The bench scene generator needs Debian's python3 with shapely.
bench: build
	@dpkg-query -W -f='$${Status}' python3-shapely 2>/dev/null | grep -q "install ok installed" || \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-shapely; }
	BENCH_SCALES="$(BENCH_SCALES)" /usr/bin/python3 bench/run_bench.py

# docs/performance-scaling.svg and the tables of docs/PERFORMANCE.md from .build-bench/results.json.
bench-plot:
	/usr/bin/python3 bench/plot_bench.py

# Regenerates notebooks-export/ (the workshop notebook of the sample scene); a test checks it.
notebook: build
	.build/release/routerisk replay --from 2023-01-01 --to 2025-10-01 --step 91d --coverage 0.25% \
	  --out .build/notebook-out --overwrite --quiet --notebook notebooks-export/sample-scene-replay.ipynb

# Regenerates docs/sample-hotspots.png (the README's map): the sample scene scored into a
# GeoPackage and rendered by QGIS headless with the styles it carries.
docs-map: build
	@$(MAKE) --no-print-directory install-missing PACKAGES="python3-qgis"
	.build/release/routerisk score --out .build/docs-map --format gpkg --overwrite --quiet
	QT_QPA_PLATFORM=offscreen /usr/bin/python3 Tests/tools/qgis_check_styles.py --gpkg .build/docs-map/routerisk.gpkg \
	  --coastline data/coastline.geojson --extent 101.0,-1.2,112.6,3.4 --render docs/sample-hotspots.png

# The tests under AddressSanitizer (a separate build folder). Leak reports are off: the only
# leaks LeakSanitizer finds are in TOMLKit's C shim and the Swift runtime, not in our GEOS,
# PROJ or GDAL owners; memory errors still fail the run.
# The sample-scene tests (9,000 events through every stage: minutes under ASan), the golden-value
# and thread-count comparisons (20,000-event scene) are skipped here: the plain suite runs them,
# and the tiny scene's tests take the same code paths under ASan.
ASAN_SKIP := testSampleScene|NotebookExportTests|SampleSceneTests|GoldenRegressionTests|ThreadCountDeterminismTests
asan: test-deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	ASAN_OPTIONS=detect_leaks=0 Tests/tools/with-postgres.sh $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan \
	  --disable-swift-testing --skip '$(ASAN_SKIP)'

# ThreadSanitizer over the tests of the parallel code (route geometry, kernel density, Gi*
# permutations, the space–time cube and emerging hot spots, corridors, the forecast, parallel
# loading, the chunked GeoJSON writers, thread-count determinism, replay
# steps); the CLI tests among them run the TSan-built binary, whose reports fail them (exit 66).
# The file-size-limit test is skipped: TSan's runtime itself dies of SIGBUS under `ulimit -f`.
TSAN_TESTS := ParallelismTests|KernelDensityTests|BandwidthTests|GiStarPermutationTests|SpaceTimeGiStarTests|SparseSpaceTimeCubeTests|EmergingCategoryTests|RouteGeometryAnalysisTests|CorridorIndexTests|CorridorDistancesTests|IncrementalSpatialAutocorrelationTests|ForecastTests|ForecastSceneTests|ReplayRunTests|ParallelLoadingTests|SceneLoaderOrderTests|FeatureWritingTests|ThreadCountDeterminismTests|DeterminismTests|ScoreEndToEndTests|ReplayOutputTests|FaultTests|ProjectionTests|FirstOccurrencesTests
tsan: test-deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan \
	  --disable-swift-testing --filter '$(TSAN_TESTS)' --skip testWriteThatRunsOutOfRoom

# UndefinedBehaviorSanitizer: swiftc has none on Linux ("unsupported option '-sanitize=undefined'
# for target 'x86_64-unknown-linux-gnu'"; Swift traps its own overflows and bounds), so it covers
# the C and C++ this package compiles — TOMLKit's toml++ — with clang's runtime linked in, over
# the tests that read a scene.toml.
UBSAN_LIB := $(firstword $(wildcard $(dir $(shell readlink -f $$(command -v swiftc)))../lib/clang/*/lib/linux))
ubsan: test-deps
	$(SWIFT) build --build-tests --scratch-path .build-ubsan -Xcc -fsanitize=undefined \
	  -Xcxx -fsanitize=undefined -Xlinker $(UBSAN_LIB)/libclang_rt.ubsan_standalone-x86_64.a \
	  -Xlinker $(UBSAN_LIB)/libclang_rt.ubsan_standalone_cxx-x86_64.a -Xlinker -lstdc++
	UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1 suppressions=$(CURDIR)/Tests/tools/ubsan.supp" \
	  $(SWIFT) test --skip-build --scratch-path .build-ubsan \
	  --disable-swift-testing --filter 'SceneDescription|ValidationTests|ScoreEndToEndTests|ShareTests|FuzzFinding'

# libFuzzer targets (Fuzz/, a package of its own) over every path that reads outside bytes: the
# CSV reader and interception validation, scene.toml and option resolution, timestamps, and a
# GeoJSON/KML layer through OGR into GEOS. Seeds in Fuzz/Corpus/<target>; what a run adds goes
# to .build-fuzz/corpus/<target>, a finding to .build-fuzz/artifacts/. Each target runs
# FUZZ_SECONDS; an input over 1 s is a finding (-timeout=1). Leak reports are off as for asan, and
# the Swift backtracer too (its memory server trips ASan after a crash and hides the real report).
FUZZ_SECONDS ?= 300
# What each target gets inside make test (and so in CI), with a fixed seed so that CI replays the
# same inputs as the runs recorded in the README (0: libFuzzer picks a seed, for make fuzz).
TEST_FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 0
FUZZ_TARGETS := FuzzCSV FuzzSceneOptions FuzzTimestamp FuzzLayer
fuzz-build: test-deps
	$(SWIFT) build --package-path Fuzz --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address \
	  --scratch-path $(CURDIR)/.build-fuzz

fuzz: fuzz-build
	@mkdir -p .build-fuzz/artifacts
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$t; \
	  echo "fuzz $$t for $(FUZZ_SECONDS) s"; \
	  ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no .build-fuzz/debug/$$t -max_total_time=$(FUZZ_SECONDS) -seed=$(FUZZ_SEED) -timeout=1 -rss_limit_mb=4096 \
	    -print_final_stats=1 -artifact_prefix=.build-fuzz/artifacts/$$t- .build-fuzz/corpus/$$t Fuzz/Corpus/$$t \
	    > .build-fuzz/$$t.log 2>&1 || { tail -60 .build-fuzz/$$t.log; echo "fuzz $$t: FINDING (see .build-fuzz/artifacts)"; exit 1; }; \
	  echo "fuzz $$t: $$(grep -h 'stat::number_of_executed_units' .build-fuzz/$$t.log | awk '{print $$2}') executions, no finding"; \
	done


clean:
	rm -rf .build .build-asan .build-tsan .build-ubsan .build-fuzz $(OUT)
