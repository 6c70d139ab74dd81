# The README's two commands. Both install what they need and are safe to run again.
.PHONY: run test build format

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

build:
	cmake -S . -B build-dev -G Ninja -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build build-dev --parallel

format:
	clang-format -i $$(git ls-files -co --exclude-standard -- '*.cpp' '*.h' | grep -v '^build')
