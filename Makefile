# dossier — common tasks. The README names two: `make site` and `make test`.
GO ?= go

.PHONY: site serve test test-short lint fuzz bench golden vnu clean

site: ## build the example site into public/
	$(GO) run ./cmd/dossier build

serve: ## live preview of the example site on http://127.0.0.1:1313
	$(GO) run ./cmd/dossier serve

test: ## every test, as CI runs them
	$(GO) vet ./...
	$(GO) test -count=1 ./...

golden: ## rewrite golden files after an intended change of output
	$(GO) test ./generator/... -run Golden -update

lint:
	gofmt -l . | tee /dev/stderr | (! read)
	$(GO) vet ./...
	staticcheck ./...

clean:
	rm -rf public
