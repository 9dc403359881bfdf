# fabrique — make run: start with demo data; make test: vet and race tests.
GO      ?= go
BIN     := bin/fabrique
ADDR    ?= 127.0.0.1:8080

.PHONY: build run test bench fuzz load vet fmt clean

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

# Short fuzzing runs of every fuzz target (CI runs them too).
FUZZTIME ?= 10s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# Load test on loopback, bounded (issue 7): 1,000 simultaneous registrations,
# then the public event page against a static file of the same binary.
load: build
	$(GO) run ./cmd/fabrique-load -bin $(BIN)

clean:
	rm -rf bin
