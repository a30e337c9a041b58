# Thin front door; the real build is Meson (see README).
.PHONY: all demo test clean
all:
	bash scripts/deps.sh build
	[ -f build/release/build.ninja ] || meson setup build/release --buildtype=release -Dtests=false
	ninja -C build/release
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
clean:
	rm -rf build
