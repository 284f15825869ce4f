# glossary-ls: GNU Make build. `make` builds build/glossary-ls; `make check`
# runs every test; `make demo` runs the main job. Both install missing
# dependencies first (.ci/install-deps).

VERSION := 0.1.0
BUILD   ?= build
CC      ?= cc
PREFIX  ?= /usr/local

# Recursive (=) so pkg-config runs after the deps step has installed things.
PKG_CFLAGS = $(shell pkg-config --cflags libuv jansson tree-sitter)
PKG_LIBS   = $(shell pkg-config --libs libuv jansson tree-sitter)
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

.PHONY: all deps test-deps grammar check unit integration asan demo clean install

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

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t --jobs 2; done

integration: $(BIN) | test-deps
	GLS_BINARY=$(abspath $(BIN)) python3 tests/integration/run.py

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
asan: | test-deps
	$(MAKE) BUILD=build/asan OPT='-O1 -g -fno-omit-frame-pointer' \
	    SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' unit integration

# Everything CI runs: the build, unit and stdio tests, then all of it under
# the sanitizers.
check: test-deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) integration
	$(MAKE) asan
	@echo "make check: all suites passed"

# The main job: check the example playbook with the built-in glossary. The
# playbook is written to show every rule, so findings (exit 1) are expected.
demo: $(BIN)
	$(BIN) --version
	$(BIN) check docs/examples/playbook.md || test $$? -eq 1

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/glossary-ls

clean:
	rm -rf $(BUILD)

-include $(OBJ:.o=.d) $(patsubst tests/unit/%.c,$(BUILD)/tests/%.d,$(UNIT_SRC))
