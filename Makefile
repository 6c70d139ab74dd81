# The README's two commands. Both install what they need and are safe to run again.
.PHONY: run test package fresh-check build format

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

# A .deb of both programs (CPack, cmake/Packaging.cmake) in build/.
package:
	@bash scripts/package.sh

# The README's set-up on a bare Debian 12 in a container (scripts/fresh-machine-check.sh).
fresh-check:
	@bash scripts/fresh-machine-check.sh

build:
	cmake -S . -B build-dev -G Ninja -DCMAKE_BUILD_TYPE=Debug >/dev/null
	cmake --build build-dev --parallel

format:
	clang-format -i $$(git ls-files -co --exclude-standard -- '*.cpp' '*.h' | grep -v '^build')
