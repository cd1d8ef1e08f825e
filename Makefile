# EdgeFleet: the one entry point. `make help` lists the targets; CI calls only `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

DOTNET ?= dotnet
CONFIGURATION ?= Debug
# Required failures allowed in the HTTP caching conformance suite (measured: 4, see
# docs/conformance.md; two of slack for timing-dependent tests on a loaded machine). Only ever lower it.
CONFORMANCE_MAX_REQUIRED_FAILED ?= 6
TRACE ?= ../shared/traces/web07.txt.gz ../shared/traces/web12.txt.gz ../shared/traces/adaptsize.txt.gz

export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[1m%-20s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: deps
deps: ## Install or check the tools the tests need (Debian packages, npm packages, helm)
	@build/deps.sh

.PHONY: restore
restore: ## Restore NuGet packages
	$(DOTNET) restore EdgeFleet.sln

.PHONY: format-check
format-check: restore ## Fail when the code is not formatted as .editorconfig says
	$(DOTNET) format EdgeFleet.sln --verify-no-changes --no-restore

.PHONY: format
format: ## Format the code in place
	$(DOTNET) format EdgeFleet.sln

.PHONY: build
build: restore ## Build everything with warnings as errors
	$(DOTNET) build EdgeFleet.sln -c $(CONFIGURATION) --no-restore -warnaserror

.PHONY: unit-test
unit-test: build ## Run the unit and loopback functional tests
	@DOTNET="$(DOTNET)" CONFIGURATION="$(CONFIGURATION)" build/unit-test.sh

.PHONY: test
test: deps format-check build unit-test conformance chart-test ## Everything CI runs: deps, format, build, tests, conformance, chart
	@echo "make test: all checks passed"

.PHONY: chart-test
chart-test: ## Lint and render the Helm chart (default and ci/ values), validate every object, refuse bad values
	@build/chart-test.sh

.PHONY: plugin
plugin: ## Build the kubectl plugin into artifacts/plugin and say how to put it on PATH
	rm -rf artifacts/plugin
	$(DOTNET) publish src/EdgeFleet.Kubectl/EdgeFleet.Kubectl.csproj -c Release -o artifacts/plugin/lib -warnaserror
	@# bin/ holds only the executable: kubectl warns about every other kubectl-* file in a PATH folder.
	mkdir -p artifacts/plugin/bin
	ln -s ../lib/kubectl-edgefleet artifacts/plugin/bin/kubectl-edgefleet
	@echo "kubectl plugin: $(CURDIR)/artifacts/plugin/bin/kubectl-edgefleet (needs the .NET 10 runtime)"
	@echo "put it on PATH:  export PATH=\"$(CURDIR)/artifacts/plugin/bin:\$$PATH\"   then:  kubectl edgefleet --help"

.PHONY: images
images: ## Build the cache and operator container images (needs Docker; TAG=<tag>, default dev)
	docker build -f build/docker/cache.Dockerfile -t edgefleet/edgefleet-cache:$(or $(TAG),dev) .
	docker build -f build/docker/operator.Dockerfile -t edgefleet/edgefleet-operator:$(or $(TAG),dev) .

.PHONY: e2e
e2e: ## End-to-end suite on a k3d cluster (needs Docker and k3d; never part of make test)
	@build/e2e.sh

.PHONY: run
run: ## Start the local fleet on loopback (origin, 2 shields, 2 regions x 2 edges) and print the URLs to try
	@build/run-demo.sh

.PHONY: bench-invalidation
bench-invalidation: ## Invalidation time to completion, notices and stale reads on the local fleet (artifacts/bench-invalidation.json)
	$(DOTNET) build src/EdgeFleet.Fleet -c Release -nologo -v q
	$(DOTNET) run -c Release --project bench/EdgeFleet.Bench.Invalidation -- $(BENCH_ARGS)

.PHONY: conformance
conformance: ## Run the http-cache-tests suite against the cache; fail above the threshold
	@build/conformance.sh $(CONFORMANCE_MAX_REQUIRED_FAILED)

.PHONY: hitratio
hitratio: ## Replay TRACE=<file> through every eviction policy and print miss ratios
	$(DOTNET) run -c Release --project bench/EdgeFleet.Bench.HitRatio -- $(TRACE)

.PHONY: bench
bench: ## Cached-hit speed of our cache against nginx, Varnish and Traffic Server (installs them)
	@build/bench.sh

.PHONY: clean
clean: ## Remove build outputs and artifacts
	rm -rf artifacts
	find . -name bin -o -name obj | grep -v node_modules | xargs rm -rf
