# dossier — common tasks. The README names two: `make site` and `make test`.
GO ?= go

.PHONY: site serve test test-short lint fuzz bench golden vnu tools shots clean

site: ## build the example site into public/
	$(GO) run ./cmd/dossier build

serve: ## live preview of the example site on http://127.0.0.1:1313
	$(GO) run ./cmd/dossier serve

test: ## every test, as CI runs them
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# Every fuzz target of the module, one after another, FUZZTIME each (Go
# fuzzes one target of one package per run). Longer: make fuzz FUZZTIME=10m.
# See docs/reliability.md.
FUZZTIME ?= 10s
fuzz: ## run every fuzz target for FUZZTIME each
	@set -e; \
	list=$$($(GO) test -list '^Fuzz' ./...); \
	targets=$$(echo "$$list" | awk '/^Fuzz/ { f[n++] = $$1; next } /^ok/ { for (i = 0; i < n; i++) print $$2 "," f[i]; n = 0 }'); \
	for t in $$targets; do \
		pkg=$${t%%,*}; name=$${t#*,}; \
		echo "== $$name ($$pkg), $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) $$pkg; \
	done

golden: ## rewrite golden files after an intended change of output
	$(GO) test ./generator/... -run Golden -update

bench: ## dossier vs Hugo vs bare goldmark on 1,000 and 10,000 generated dossiers (docs/performance.md)
	GO=$(GO) scripts/bench.sh

bench-images: ## dossier's image processing vs Hugo's on the same 2000×1333 photos (docs/performance.md#images)
	GO=$(GO) scripts/bench-images.sh

lint:
	test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: the files above need formatting"; exit 1; }
	$(GO) vet ./...
	staticcheck ./...

tools: ## install the W3C Nu HTML checker (npm vnu-jar, needs Java), axe-core (accessibility checks in Chromium), Azurite (the Azure Storage emulator) and Pagefind (for make bench) into .tools/
	mkdir -p .tools
	[ -f .tools/package.json ] || echo '{"name": "dossier-tools", "private": true}' > .tools/package.json
	cd .tools && npm install --no-audit --no-fund --silent vnu-jar@26.9.27 axe-core@4.14.1 azurite@3.37.0 pagefind@1.6.0

vnu: site ## validate the example site's HTML with the W3C Nu checker
	java -jar .tools/node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html public/

# Full-page screenshots of the main page kinds at 1366 and 390 px, light
# and dark, for review (not goldens): make shots SHOTS=/tmp/shots
SHOTS ?= shots
shots: ## screenshots of the main page kinds (1366/390 px, light/dark) into SHOTS (headless Chromium)
	DOSSIER_SHOTS=$(abspath $(SHOTS)) $(GO) test ./internal/sitecheck -run '^TestShots$$' -count=1 -v

clean:
	rm -rf public
