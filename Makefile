# fabrique — make run: start with demo data; make test: vet and race tests.
GO      ?= go
BIN     := bin/fabrique
ADDR    ?= 127.0.0.1:8080

.PHONY: build run test bench bench-outbox fuzz load vet fmt clean

build:
	$(GO) build -o $(BIN) ./cmd/fabrique

run: build
	@mkdir -p data
	FABRIQUE_ADDR=$(ADDR) ./$(BIN) serve --demo

vet:
	@test -z "$$(gofmt -l cmd internal assets)" || (echo "gofmt would change:"; gofmt -l cmd internal assets; exit 1)
	$(GO) vet ./...

test: vet
	$(GO) test -race -count=1 ./...

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
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
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
