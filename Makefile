# glossary-ls: GNU Make build. `make` builds build/glossary-ls; `make check`
# runs every test; `make demo` runs the main job. Both install missing
# dependencies first (.ci/install-deps).

VERSION := 0.1.0
BUILD   ?= build
CC      ?= cc
PREFIX  ?= /usr/local

# Recursive (=) so pkg-config runs after the deps step has installed things.
# yaml-0.1 (libyaml), libxml-2.0 and libpcre2-8 serve the importers of
# other tools' vocabularies (Contextive/prh/Vale YAML, TBX, regex patterns).
PKG_MODS   = libuv jansson tree-sitter yaml-0.1 libxml-2.0 libpcre2-8
PKG_CFLAGS = $(shell pkg-config --cflags $(PKG_MODS))
PKG_LIBS   = $(shell pkg-config --libs $(PKG_MODS))
CRIT_LIBS  = $(shell pkg-config --libs criterion)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wformat=2 -Wundef -Wvla -Wcast-qual -Wwrite-strings \
        -Wno-unused-parameter -Werror
OPT      ?= -O2 -g
SAN      ?=
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE -DGLS_VERSION='"$(VERSION)"' -Iinclude $(OPT) $(SAN) \
             $(WARN) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LDFLAGS_ALL = $(SAN) $(LDFLAGS)

GRAMMAR_DIR := $(BUILD)/grammar
GRAMMAR_LIB := $(BUILD)/libtsmarkdown.a
GRAMMAR_SRC := tree-sitter-markdown/src/parser.c tree-sitter-markdown/src/scanner.c \
               tree-sitter-markdown-inline/src/parser.c tree-sitter-markdown-inline/src/scanner.c
GRAMMAR_OBJ := $(BUILD)/grammar-obj/block_parser.o $(BUILD)/grammar-obj/block_scanner.o \
               $(BUILD)/grammar-obj/inline_parser.o $(BUILD)/grammar-obj/inline_scanner.o

SRC  := $(sort $(wildcard server/*.c))
LIB_SRC := $(filter-out server/main.c,$(SRC))
# The built-in glossary is embedded with the assembler's .incbin.
DATA_OBJ := $(BUILD)/obj/embedded.o
OBJ  := $(patsubst server/%.c,$(BUILD)/obj/%.o,$(SRC)) $(DATA_OBJ)
LIB_OBJ := $(patsubst server/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(DATA_OBJ)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

BIN := $(BUILD)/glossary-ls

.PHONY: all deps test-deps grammar check unit integration rules precision data-check asan valgrind \
        fuzz fuzz-bins demo bench bench-peers clean install

all: $(BIN)

deps:
	@./.ci/install-deps build

test-deps:
	@./.ci/install-deps test

$(GRAMMAR_DIR)/.sha256: grammars/grammar.lock grammars/fetch.sh | deps
	./grammars/fetch.sh $(GRAMMAR_DIR)

grammar: $(GRAMMAR_LIB)

# The grammar is generated code we do not own: compiled without our warnings.
$(BUILD)/grammar-obj/block_%.o: $(GRAMMAR_DIR)/.sha256
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -g $(SAN) -w -I$(GRAMMAR_DIR)/tree-sitter-markdown/src \
	    -c $(GRAMMAR_DIR)/tree-sitter-markdown/src/$*.c -o $@
$(BUILD)/grammar-obj/inline_%.o: $(GRAMMAR_DIR)/.sha256
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -g $(SAN) -w -I$(GRAMMAR_DIR)/tree-sitter-markdown-inline/src \
	    -c $(GRAMMAR_DIR)/tree-sitter-markdown-inline/src/$*.c -o $@

$(GRAMMAR_LIB): $(GRAMMAR_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/obj/%.o: server/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(DATA_OBJ): server/embedded.S server/data/cs-glossary.json $(wildcard grammars/*.scm) | deps
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(BIN): $(OBJ) $(GRAMMAR_LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $(OBJ) $(GRAMMAR_LIB) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) $(GRAMMAR_LIB) | test-deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -o $@ $< $(LIB_OBJ) $(GRAMMAR_LIB) \
	    $(PKG_LIBS) $(CRIT_LIBS) $(LDFLAGS_ALL)

# Every suite runs even when one fails; the target fails if any did.
# Criterion's summary line leaves skipped tests out: they are listed from
# its verbose output, with a count at the end.
unit: $(UNIT_BIN)
	@failed=0; skipped=0; log=$$(mktemp); \
	for t in $(UNIT_BIN); do echo "== $$t"; \
	    $$t --jobs 2 --verbose >$$log 2>&1 || failed=1; \
	    grep -v '^\[\(RUN \|PASS\)\]' $$log; \
	    skipped=$$((skipped + $$(grep -c '^\[SKIP\]' $$log))); done; \
	rm -f $$log; echo "unit: $$skipped skipped"; exit $$failed

integration: $(BIN) | test-deps
	GLS_BINARY=$(abspath $(BIN)) python3 tests/integration/run.py

# The rule corpus: annotated cases in tests/rules/cases, fixes applied.
rules: $(BIN) | test-deps
	@if [ -f tests/rules/run_cases.py ]; then \
	    GLS_BINARY=$(abspath $(BIN)) python3 tests/rules/run_cases.py; fi

# Realistic documents written to the glossary's standards: zero findings.
precision: $(BIN) | test-deps
	GLS_BINARY=$(abspath $(BIN)) python3 tests/precision/run.py

# The built-in glossary's data: schema-level checks and seed coverage.
SEEDS ?= ../shared/seeds
data-check: | test-deps
	python3 tests/data/check_glossary_data.py $(if $(wildcard $(SEEDS)),--seeds $(SEEDS))

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
# LeakSanitizer reports make the server exit non-zero, which the stdio
# tests assert against.
asan: | test-deps
	$(MAKE) BUILD=build/asan OPT='-O1 -g -fno-omit-frame-pointer' \
	    SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' unit
	$(MAKE) BUILD=build/asan OPT='-O1 -g -fno-omit-frame-pointer' \
	    SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' build/asan/glossary-ls
	GLS_TIMEOUT_SCALE=3 GLS_BINARY=$(abspath build/asan/glossary-ls) \
	    python3 tests/integration/run.py

# The stdio tests with the server under valgrind memcheck: any error or
# definite leak makes it exit 99, which the tests assert against.
valgrind: $(BIN) | test-deps
	GLS_TIMEOUT_SCALE=10 GLS_BINARY=$(abspath $(BIN)) \
	GLS_WRAPPER="valgrind --quiet --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite --show-leak-kinds=definite" \
	    python3 tests/integration/run.py

# Everything CI runs: the build, the VS Code package, the data check, unit, stdio and rule
# tests, all of it again under the sanitizers and valgrind, then each
# fuzzer for FUZZ_SECONDS.
check: test-deps
	$(MAKE) all
	$(MAKE) vsix
	$(MAKE) data-check
	$(MAKE) unit
	$(MAKE) integration
	$(MAKE) rules
	$(MAKE) precision
	$(MAKE) asan
	$(MAKE) valgrind
	$(MAKE) fuzz
	@echo "make check: all suites passed"

# The main job: check the example playbook with the built-in glossary. The
# playbook is written to show every rule, so findings (exit 1) are expected.
demo: $(BIN)
	$(BIN) --version
	$(BIN) check docs/examples/playbook.md || test $$? -eq 1

# libFuzzer harnesses (tests/fuzz/fuzz_*.c), built with clang under
# ASan+UBSan; `make fuzz` runs each for FUZZ_SECONDS on its seed corpus
# (tests/fuzz/corpus/<name>), two at a time. A crash leaves its input in
# build/fuzz/crash-* and fails the target.
FUZZ_SECONDS ?= 45
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))

fuzz: | test-deps
	$(MAKE) BUILD=build/fuzz CC=clang OPT='-O1 -g -fno-omit-frame-pointer' \
	    SAN='-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all' fuzz-bins
	@printf '%s\n' $(FUZZ_NAMES) | xargs -P 2 -I{} sh -c \
	    'mkdir -p build/fuzz/work-{} && build/fuzz/fuzz_{} -max_total_time=$(FUZZ_SECONDS) \
	        -print_final_stats=1 -artifact_prefix=build/fuzz/crash-{}- -rss_limit_mb=2048 \
	        build/fuzz/work-{} tests/fuzz/corpus/{} > build/fuzz/{}.log 2>&1 \
	     && echo "fuzz {}: $$(grep -o "stat::number_of_executed_units: *[0-9]*" build/fuzz/{}.log | grep -o "[0-9]*$$") runs, no crash" \
	     || { echo "fuzz {}: FAILED"; tail -40 build/fuzz/{}.log; exit 1; }'

fuzz-bins: $(patsubst %,$(BUILD)/fuzz_%,$(FUZZ_NAMES))

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_OBJ) $(GRAMMAR_LIB)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -fsanitize=fuzzer -o $@ $< $(LIB_OBJ) \
	    $(GRAMMAR_LIB) $(PKG_LIBS) $(LDFLAGS_ALL)

# Benchmarks print figures; they are not tests and not part of `make check`.
BENCH := $(BUILD)/bench/bench
$(BENCH): tests/bench/bench.c $(LIB_OBJ) $(GRAMMAR_LIB) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -o $@ $< $(LIB_OBJ) $(GRAMMAR_LIB) \
	    $(PKG_LIBS) $(LDFLAGS_ALL)

bench: $(BENCH) $(BIN)
	$(BENCH)
	GLS_BINARY=$(abspath $(BIN)) python3 tests/bench/lsp_latency.py
	$(MAKE) bench-peers

# glossary-ls check against cspell, textlint (+terminology, +prh),
# markdownlint-cli2 and harper.js on the same files, in the same run
# (the peers are installed from tests/bench/peers/package-lock.json).
# PEERS_ARGS=--docs 100k,1m --sets builtin,10k for other rows.
PEERS_ARGS ?= --docs 1m
bench-peers: $(BIN)
	python3 tests/bench/peers.py $(BIN) $(PEERS_ARGS)

# The rule pages are installed too: diagnostics link to them
# (codeDescription.href) from an installed binary.
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/doc/glossary-ls/rules
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/glossary-ls
	install -m 644 docs/rules/*.md $(DESTDIR)$(PREFIX)/share/doc/glossary-ls/rules/
	install -m 644 docs/glossary.schema.json README.md $(DESTDIR)$(PREFIX)/share/doc/glossary-ls/
	install -d $(DESTDIR)$(PREFIX)/share/glossary-ls $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 server/data/cs-glossary.json $(DESTDIR)$(PREFIX)/share/glossary-ls/
	install -m 644 docs/glossary-ls.1 $(DESTDIR)$(PREFIX)/share/man/man1/

# The VS Code extension (editors/vscode) as build/glossary-ls.vsix. The
# glossary schema is copied into the package here rather than kept twice in
# git; npm ci installs exactly what package-lock.json pins (optional native
# helpers of vsce left out: packaging does not use them).
VSIX_SRC := $(addprefix editors/vscode/,package.json package-lock.json extension.js README.md \
    LICENSE .vscodeignore schemas/config.schema.json) docs/glossary.schema.json

.PHONY: vsix
vsix: build/glossary-ls.vsix

build/glossary-ls.vsix: $(VSIX_SRC)
	@mkdir -p build
	cp docs/glossary.schema.json editors/vscode/schemas/glossary.schema.json
	cd editors/vscode && npm ci --no-audit --no-fund --omit=optional && \
	    npx vsce package --allow-missing-repository -o ../../build/glossary-ls.vsix

clean:
	rm -rf $(BUILD)

-include $(OBJ:.o=.d) $(patsubst tests/unit/%.c,$(BUILD)/tests/%.d,$(UNIT_SRC))
