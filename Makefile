# The two commands of the README, and the steps they are made of.
#   make demo   installs what is missing, builds (Release), serves the demo city on http://localhost:8080
#   make check  installs what is missing, builds once (Debug + ASan/UBSan), runs every test
JOBS ?= $(shell nproc)
DEBUG_DIR := build/debug
RELEASE_DIR := build/release
DEMO_DIR := demo
PORT ?= 8080
DEMO_SETTINGS := --database sqlite:$(DEMO_DIR)/gridgov.db --key-file $(DEMO_DIR)/gridgov.key

.PHONY: all deps web debug release check demo bench format clean

all: release

deps:
	@bash scripts/install-deps.sh

web/node_modules/.installed: web/package-lock.json | deps
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: web/node_modules/.installed $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json
	cd web && npm run build

web: web/dist/index.html

tests/node_modules/.installed: tests/package-lock.json | deps
	cd tests && npm ci --no-audit --no-fund
	@touch $@

debug: deps
	cmake -S . -B $(DEBUG_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGRIDGOV_SANITIZE=ON
	cmake --build $(DEBUG_DIR) -j $(JOBS)

release: deps
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DGRIDGOV_TESTS=OFF -DGRIDGOV_BENCH=ON
	cmake --build $(RELEASE_DIR) -j $(JOBS)

check: debug web tests/node_modules/.installed
	cd $(DEBUG_DIR) && ctest --output-on-failure -j 2 --timeout 600

demo: release web
	@mkdir -p $(DEMO_DIR)
	$(RELEASE_DIR)/gridgov demo $(DEMO_SETTINGS) --people 30000 --events 30000
	@echo "gridgov demo: open http://localhost:$(PORT) (Ctrl-C stops it); a simulated city moves on it"
	$(RELEASE_DIR)/gridgov simulate $(DEMO_SETTINGS) --log-level warn > $(DEMO_DIR)/simulate.log 2>&1 & \
	  trap 'kill $$!' EXIT INT TERM; \
	  $(RELEASE_DIR)/gridgov serve $(DEMO_SETTINGS) --web-root web/dist --port $(PORT)

bench: release
	@bash scripts/install-deps.sh scripts/packages.txt scripts/packages-bench.txt
	bash bench/http_vs_nginx.sh $(RELEASE_DIR)/gridgov
	bash bench/routing_vs_postgis.sh $(RELEASE_DIR)
	bash bench/tiles.sh $(RELEASE_DIR)
	bash bench/intake.sh $(RELEASE_DIR)
	bash bench/lifecycle.sh $(RELEASE_DIR)
	bash bench/registry.sh $(RELEASE_DIR)
	bash bench/import.sh $(RELEASE_DIR)
	bash bench/figures.sh $(RELEASE_DIR)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i  # C++ only: SQL and JSON keep their own layout

clean:
	rm -rf build web/dist
