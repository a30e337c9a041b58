/*
 * binpkg.h - packages recorded inside files rather than in a database: Go
 * binaries (the module build info of the .go.buildinfo section: main module,
 * dependencies with their versions and replacements, pseudo-versions, "(devel)")
 * and Java archives (pom.properties and META-INF/MANIFEST.MF inside JAR, WAR,
 * EAR files, nested archives to BH_MAX_JAR_DEPTH). Bytes in, struct bh_package out.
 */
#ifndef BH_PKGDB_BINPKG_H
#define BH_PKGDB_BINPKG_H

#include "core/err.h"
#include "model/package.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct bh_arena;

/* The build info magic: 14 bytes at a 16-byte aligned offset of the section. */
#define BH_GOBIN_MAGIC "\xff Go buildinf:"
#define BH_GOBIN_MAGIC_LEN 14u

/* Does (head, len), the first bytes of a file, look like an executable (ELF, Mach-O, PE)? */
bool bh_gobin_is_exec(const void *head, size_t len);

/*
 * Offset of the first build info magic at an offset of (data, len) that is a multiple of 16
 * counting from base (the offset of data[0] in the file), or -1.
 */
ssize_t bh_gobin_find_magic(const void *data, size_t len, size_t base);

/*
 * Parse build info from blob, which starts at the magic and holds up to BH_MAX_GOBUILDINFO
 * bytes of what follows it (Go 1.18+ inline format). Appends the main module (version
 * "(devel)" kept as written) and every dependency ("dep", or "=>" replacement: the
 * replacement's path and version are what is installed) as BH_PKG_GO packages with purls
 * (pkg:golang/PATH@VERSION), and the Go toolchain as the module "stdlib" with version from
 * "go1.22.1" -> "v1.22.1". Older pointer-format build info: BH_EUNSUPPORTED (use
 * bh_gobin_read on the whole file). Errors: BH_EPARSE naming file and the byte offset.
 */
int bh_gobin_parse(struct bh_arena *a, const char *file, const void *blob, size_t len, int layer,
                   struct bh_packages *out, struct bh_err *err);

/*
 * The same from a whole executable in memory: finds the build info (ELF section
 * .go.buildinfo, else a search for the magic) and reads both formats (pointer-format
 * build info through the ELF program headers). A file that is not a Go binary adds nothing
 * and returns 0.
 */
int bh_gobin_read(struct bh_arena *a, const char *file, const void *data, size_t len, int layer,
                  struct bh_packages *out, struct bh_err *err);

/* Is path a Java archive by name (.jar, .war, .ear, .jpi, .hpi, .par, case-insensitive)? */
bool bh_java_wants(const char *path);

/*
 * Java archive (data, len) named file: every META-INF/maven/GROUP/ARTIFACT/pom.properties
 * gives a BH_PKG_MAVEN package "GROUP:ARTIFACT" at its version; an archive without one falls
 * back to META-INF/MANIFEST.MF (Implementation-/Bundle- fields, continuation lines) and then
 * to the file name ("name-1.2.3.jar"), with the group unknown (purl without namespace).
 * Nested archives (WEB-INF/lib/x.jar, BOOT-INF/lib, ...) are read to BH_MAX_JAR_DEPTH; their
 * packages' path is "outer.war!/WEB-INF/lib/x.jar". Errors: BH_EPARSE naming the (nested)
 * archive, BH_ELIMIT past the limits in core/limits.h.
 */
int bh_java_read(struct bh_arena *a, const char *file, const void *data, size_t len, int layer,
                 struct bh_packages *out, struct bh_err *err);

#endif
