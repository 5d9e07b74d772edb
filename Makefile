# emb - token embedding tools
# See LICENSE file for copyright and license details.
.POSIX:
.SUFFIXES:
.SUFFIXES: .c .o

CC        = cc
PREFIX    = /usr/local
MANPREFIX = $(PREFIX)/share/man
CFLAGS    = -O2 -g
LDFLAGS   =
WARN      = -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes -Wformat=2
HARDEN    = -D_FORTIFY_SOURCE=2 -fstack-protector-strong
EMBCFLAGS = -std=c99 -D_POSIX_C_SOURCE=200809L -Ilib -pthread $(HARDEN) \
            $(WARN) $(CFLAGS)
LDLIBS    = -lcsv -lcjson -lz -lpcre2-8 -lutf8proc -lm
DATADIR   = $(PREFIX)/share/emb

HDR = lib/afile.h lib/cli.h lib/dtype.h lib/err.h lib/fmt.h lib/ids.h lib/knn.h lib/knnkern.h lib/model.h \
      lib/posenc.h lib/seq.h lib/tokvocab.h \
      lib/num.h lib/rng.h lib/safetensors.h lib/stwrite.h lib/json.h lib/src.h lib/table.h lib/util.h \
      lib/vocab.h lib/vocabio.h lib/vstream.h lib/stats.h lib/simeval.h lib/simitems.h lib/analogy.h \
      lib/csvio.h lib/npy.h lib/w2v.h lib/w2v_impl.h lib/w2vwrite.h lib/init.h lib/info.h lib/shard.h lib/corpus.h lib/train.h \
      lib/pca.h lib/plot.h lib/points.h lib/tsne.h lib/cpu.h lib/trainkern.h \
      lib/trainkern_isa.h \
      lib/unicode.h lib/unitab.h lib/pretok.h lib/bpe.h lib/tiktoken.h \
	lib/tokenizer.h lib/tokimpl.h lib/tokstream.h lib/normalize.h lib/hf.h \
	lib/pool.h lib/textvec.h lib/subword.h lib/fasttext.h lib/trainstep.h lib/trainsub.h \
      lib/hits.h lib/query.h lib/lookup.h lib/le.h \
      lib/par.h lib/tally.h lib/trainopts.h
LIBOBJ = lib/afile.o lib/cli.o lib/dtype.o lib/err.o lib/fmt.o lib/ids.o lib/knn.o lib/knnkern.o lib/model.o \
      lib/posenc.o lib/seq.o lib/tokvocab.o \
      lib/num.o lib/rng.o lib/safetensors.o lib/stwrite.o lib/json.o lib/src.o lib/table.o lib/util.o \
      lib/vocab.o lib/vocabio.o lib/vstream.o lib/stats.o lib/simeval.o lib/simitems.o lib/analogy.o \
      lib/csvio.o lib/npy.o lib/w2v.o lib/w2vbin.o lib/w2vwrite.o lib/init.o lib/info.o lib/shard.o lib/corpus.o lib/train.o \
      lib/pca.o lib/plot.o lib/points.o lib/tsne.o lib/cpu.o lib/trainkern.o \
      lib/unicode.o lib/pretok.o lib/bpe.o lib/tiktoken.o lib/tokenizer.o \
	lib/tokopen.o lib/tokstream.o lib/normalize.o lib/hfload.o \
	lib/hfparts.o lib/hfrun.o lib/hfpre.o lib/hfdec.o \
	lib/pool.o lib/textvec.o lib/subword.o lib/fasttext.o lib/trainsub.o lib/trainstep.o \
      lib/hits.o lib/query.o lib/lookup.o \
      lib/par.o lib/tally.o lib/trainopts.o
BIN = cmd/emb-init cmd/emb-lookup cmd/emb-sim cmd/emb-analogy cmd/emb-nn cmd/emb-train cmd/emb-info cmd/emb-reduce cmd/emb-plot \
      cmd/emb-tokenize
MAN1 = man/emb-init.1 man/emb-lookup.1 man/emb-sim.1 man/emb-analogy.1 man/emb-nn.1 man/emb-info.1 man/emb-train.1 man/emb-reduce.1 man/emb-plot.1 \
      man/emb-tokenize.1
MAN5 = man/emb-formats.5
MAN7 = man/emb.7
MAN = $(MAN1) $(MAN5) $(MAN7)
UNIT = tests/unit/numtest tests/unit/knntest tests/unit/fmttest tests/unit/jsontest \
      tests/unit/pretoktest tests/unit/coldtest tests/unit/corpustest tests/unit/reptest \
      tests/unit/kerntest tests/unit/hufftest
# the tokenizer files in data/ that make install copies to $(DATADIR)
TOKDATA = data/gpt2/encoder.json data/gpt2/vocab.bpe data/gpt2/LICENSE \
      data/r50k_base.tiktoken data/p50k_base.tiktoken \
      data/cl100k_base.tiktoken data/o200k_base.tiktoken

all: $(BIN)

$(BIN) $(UNIT): lib/libemb.a
$(LIBOBJ) $(BIN) $(UNIT): $(HDR)

.c.o:
	$(CC) $(EMBCFLAGS) $(CPPFLAGS) -c -o $@ $<

# where short tokenizer names (-t gpt2, -t o200k_base) are looked for
lib/tokopen.o: lib/tokopen.c
	$(CC) $(EMBCFLAGS) $(CPPFLAGS) -DEMB_DATADIR='"$(DATADIR)"' -c -o $@ lib/tokopen.c

.c:
	$(CC) $(EMBCFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ $< lib/libemb.a $(LDLIBS)

lib/libemb.a: $(LIBOBJ)
	rm -f $@
	$(AR) rc $@ $(LIBOBJ)
	ranlib $@

check: all $(UNIT)
	tests/unit/numtest
	tests/unit/knntest
	tests/unit/fmttest
	tests/unit/jsontest
	tests/unit/pretoktest 20000
	tests/unit/coldtest tests/unit/coldtest.tmp
	tests/unit/corpustest tests/unit/corpustest.tmp
	tests/unit/reptest
	tests/unit/kerntest
	tests/unit/hufftest
	sh tests/run-bats.sh
	@if command -v groff >/dev/null; then \
	    out=$$(groff -mdoc -ww -z $(MAN) 2>&1); \
	    if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; fi
	@if command -v mandoc >/dev/null; then mandoc -Tlint -Wwarning $(MAN); fi

check-sanitize:
	$(MAKE) clean
	$(MAKE) check CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    LDFLAGS='-fsanitize=address,undefined'
	$(MAKE) clean

# Hostile input: libFuzzer targets, each run for FUZZ_SECONDS
# under nice (tests/fuzz/run.sh, results in tests/fuzz/README); the bats
# suite with every tool under valgrind (VALGRIND_BATS: the files to run);
# and lint with these cppcheck and clang-tidy checks.  (tsne.c: log(sum)
# with sum >= 1, the nearest neighbour's term being exp(0); cppcheck
# cannot see it.)
FUZZ_SECONDS = 60
FUZZ_JOBS = 1
VALGRIND_BATS = tests/*.bats
CPPCHECK_FLAGS = --quiet --error-exitcode=1 --std=c99 --inline-suppr \
    --enable=warning,style,performance,portability \
    --suppress=missingIncludeSystem --suppress=variableScope \
    --suppress=knownConditionTrueFalse --suppress=unreadVariable \
    --suppress=redundantAssignment -D_POSIX_C_SOURCE=200809L -Ilib \
    --suppress=invalidFunctionArg:lib/tsne.c
TIDY_CHECKS = -*, clang-analyzer-*, bugprone-*, cert-*, misc-*, \
    performance-*, portability-*, -bugprone-easily-swappable-parameters, \
    -bugprone-implicit-widening-of-multiplication-result, \
    -bugprone-macro-parentheses, -bugprone-narrowing-conversions, \
    -bugprone-suspicious-include, -bugprone-integer-division, \
    -cert-err33-c, -misc-no-recursion, -performance-no-int-to-ptr, \
    -clang-analyzer-deadcode.DeadStores, -bugprone-reserved-identifier, \
    -cert-dcl37-c, -cert-dcl51-cpp

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) sh tests/fuzz/run.sh

check-valgrind: all
	sh tests/valgrind.sh $(VALGRIND_BATS)

# lint also compiles libemb for aarch64 (AARCH64_CC, Debian's
# gcc-aarch64-linux-gnu): the x86 kernels must stay behind cpu.h's CPU_X86.
AARCH64_CC = aarch64-linux-gnu-gcc

lint:
	@st=0; cppcheck $(CPPCHECK_FLAGS) lib cmd || st=1; \
	for f in lib/*.c cmd/*.c; do \
	    clang-tidy --quiet --warnings-as-errors='*' \
	    --checks='$(TIDY_CHECKS)' $$f -- -std=c99 \
	    -D_POSIX_C_SOURCE=200809L -Ilib -pthread 2>/dev/null || st=1; \
	done; \
	if ! command -v $(AARCH64_CC) >/dev/null; then \
	    echo "lint: $(AARCH64_CC) not found (Debian: gcc-aarch64-linux-gnu libc6-dev-arm64-cross)"; \
	    st=1; \
	else for f in lib/*.c; do \
	    $(AARCH64_CC) -std=c99 -D_POSIX_C_SOURCE=200809L -Ilib \
	    -idirafter /usr/include -pthread $(WARN) -Werror -O2 -c \
	    -o /dev/null $$f || st=1; \
	done; fi; exit $$st

demo: all
	sh tests/demo.sh

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1 \
	    $(DESTDIR)$(MANPREFIX)/man5 $(DESTDIR)$(MANPREFIX)/man7
	cp -f $(BIN) $(DESTDIR)$(PREFIX)/bin/
	cd $(DESTDIR)$(PREFIX)/bin && chmod 755 $$(for b in $(BIN); do basename $$b; done)
	cp -f $(MAN1) $(DESTDIR)$(MANPREFIX)/man1/
	cp -f $(MAN5) $(DESTDIR)$(MANPREFIX)/man5/
	cp -f $(MAN7) $(DESTDIR)$(MANPREFIX)/man7/
	mkdir -p $(DESTDIR)$(DATADIR)/gpt2
	cp -f data/gpt2/encoder.json data/gpt2/vocab.bpe data/gpt2/LICENSE \
	    $(DESTDIR)$(DATADIR)/gpt2/
	cp -f data/*.tiktoken $(DESTDIR)$(DATADIR)/
	chmod 644 $(DESTDIR)$(DATADIR)/gpt2/* $(DESTDIR)$(DATADIR)/*.tiktoken

uninstall:
	for b in $(BIN); do rm -f $(DESTDIR)$(PREFIX)/bin/$$(basename $$b); done
	for m in $(MAN1); do rm -f $(DESTDIR)$(MANPREFIX)/man1/$$(basename $$m); done
	for m in $(MAN5); do rm -f $(DESTDIR)$(MANPREFIX)/man5/$$(basename $$m); done
	for m in $(MAN7); do rm -f $(DESTDIR)$(MANPREFIX)/man7/$$(basename $$m); done
	for d in $(TOKDATA); do rm -f $(DESTDIR)$(DATADIR)/$${d#data/}; done
	-rmdir $(DESTDIR)$(DATADIR)/gpt2 $(DESTDIR)$(DATADIR) 2>/dev/null

clean:
	rm -f $(BIN) $(UNIT) $(LIBOBJ) lib/libemb.a

.PHONY: all check check-sanitize check-valgrind demo fuzz install lint \
    uninstall clean
