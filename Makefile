# EdgeFleet: the one entry point. `make help` lists the targets; CI calls only `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

DOTNET ?= dotnet
CONFIGURATION ?= Debug
# Required failures allowed in the HTTP caching conformance suite. Only ever lower it.
CONFORMANCE_MAX_REQUIRED_FAILED ?= 4
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
	$(DOTNET) test EdgeFleet.sln -c $(CONFIGURATION) --no-build --logger "console;verbosity=normal"

.PHONY: test
test: deps format-check build unit-test conformance ## Everything CI runs: deps, format, build, tests, conformance
	@echo "make test: all checks passed"

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
