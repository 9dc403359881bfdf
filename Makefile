# fabrique — make run: start with demo data; make test: vet and race tests.
GO      ?= go
BIN     := bin/fabrique
ADDR    ?= 127.0.0.1:8080

.PHONY: build run test deps bench bench-outbox fuzz load vet fmt clean

build:
	$(GO) build -o $(BIN) ./cmd/fabrique

run: build
	@mkdir -p data
	FABRIQUE_ADDR=$(ADDR) ./$(BIN) serve --demo

vet:
	@test -z "$$(gofmt -l cmd internal assets)" || (echo "gofmt would change:"; gofmt -l cmd internal assets; exit 1)
	$(GO) vet ./...

# What the tests need besides Go: a Debian package for each missing command
# (command:package[,package]), and axe-core from the committed lock file.
DEB_TOOLS := gcc:gcc,libc6-dev pdftotext:poppler-utils qpdf:qpdf glpsol:glpk-utils chromium:chromium npm:npm
AXE       := internal/web/e2e/node_modules/axe-core/axe.min.js

deps:
	@missing=""; for t in $(DEB_TOOLS); do \
	  command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $$(echo $${t#*:} | tr , ' ')"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "make test : installation des paquets Debian manquants :$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing || exit 1; \
	  else \
	    echo "make test : il manque des outils pour les tests. Installez-les en root :" >&2; \
	    echo "  apt-get install -y --no-install-recommends$$missing" >&2; \
	    exit 1; \
	  fi; \
	fi
	@test -f $(AXE) || { echo "make test : installation d'axe-core (npm ci, internal/web/e2e/package-lock.json)"; \
	  cd internal/web/e2e && npm ci --no-audit --no-fund --silent; }

# Packages run two at a time (the default on 2 cores); the slowest,
# internal/web, starts first so that the others run beside it; its browser
# tests take minutes on a busy machine, hence the longer timeout.
test: deps vet
	$(GO) test -race -count=1 -timeout 30m ./internal/web/ $$($(GO) list ./... | grep -v '/internal/web$$')

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Delivery of 5,000 invitations against the same server's bare throughput,
# in interleaved pairs (the machine's noise hits both alike): msgs/s and
# the ratio to each bare figure, then the medians.
PAIRS ?= 7
bench-outbox:
	@mkdir -p bin && $(GO) test -c -o bin/outbox.test ./internal/outbox
	@rate() { awk '{for (i = 2; i <= NF; i++) if ($$i == "msgs/s") print $$(i-1)}'; }; \
	for i in $$(seq $(PAIRS)); do \
	  c=$$(bin/outbox.test -test.run '^$$' -test.bench 'BareSMTP/composed' -test.benchtime 5000x | rate); \
	  p=$$(bin/outbox.test -test.run '^$$' -test.bench 'BareSMTP/prepared' -test.benchtime 5000x | rate); \
	  d=$$(bin/outbox.test -test.run '^$$' -test.bench 'DeliverInvitations' -test.benchtime 1x | rate); \
	  echo "$$d $$c $$p" | awk '{ printf "deliver %5.0f msgs/s  bare composed %5.0f (ratio %.2f)  bare prepared %5.0f (ratio %.2f)\n", $$1, $$2, $$1/$$2, $$3, $$1/$$3 }'; \
	done | tee bin/bench-outbox.txt
	@for k in 8 13; do sort -n -k $$k bin/bench-outbox.txt | awk -v k=$$k '{ r[NR] = $$k } END { gsub(/[()]/, "", r[int((NR + 1) / 2)]); printf "median ratio to bare %s: %s\n", (k == 8 ? "composed" : "prepared"), r[int((NR + 1) / 2)] }'; done

# Short fuzzing runs of every fuzz target (CI runs them too).
FUZZTIME ?= 10s
fuzz:
	@pkgs=$$($(GO) list ./...) || exit 1; \
	for pkg in $$pkgs; do \
	  list=$$($(GO) test -list '^Fuzz' $$pkg) || { echo "$$list"; echo "make fuzz : les tests de $$pkg ne compilent pas" >&2; exit 1; }; \
	  for f in $$(echo "$$list" | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# Load test on loopback, bounded (issues 7 and 14): the machine's ceiling
# (the bare SQLite transaction of a registration), REGISTRATIONS
# simultaneous registrations against it, then the public event page
# against a static file of the same binary.
REGISTRATIONS ?= 4000
load: build
	$(GO) run ./cmd/fabrique-load -bin $(BIN) -registrations $(REGISTRATIONS)

clean:
	rm -rf bin
