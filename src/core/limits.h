/*
 * limits.h - every bound bulkhead puts on untrusted input, in one place.
 * Exceeding one is BH_ELIMIT with a message naming the constant. Values a
 * user may need to raise are marked "overridable" and have a CLI/policy knob.
 */
#ifndef BH_LIMITS_H
#define BH_LIMITS_H

/* Largest configuration file (Dockerfile, Compose, manifest) read whole. overridable */
#define BH_MAX_CONFIG_FILE (16u * 1024u * 1024u)
/* Longest logical line of a Dockerfile after joining continuations. */
#define BH_MAX_LOGICAL_LINE (1u * 1024u * 1024u)
/* Most instructions in one Dockerfile. */
#define BH_MAX_INSTRUCTIONS 100000u
/* Most stages (FROM) in one Dockerfile. */
#define BH_MAX_STAGES 1000u
/* Most heredocs attached to one instruction. */
#define BH_MAX_HEREDOCS 64u
/* Most words in one shell command line, and most simple commands in one RUN. */
#define BH_MAX_SHELL_WORDS 65536u
#define BH_MAX_SHELL_CMDS 65536u
/* Deepest nesting of `sh -c '...'` unwrapping and of ${VAR:-${OTHER}} substitution. */
#define BH_MAX_SHELL_NESTING 8u
#define BH_MAX_SUBST_DEPTH 16u
/* Largest value produced by variable substitution. */
#define BH_MAX_SUBST_VALUE (64u * 1024u)
/* Arena bytes for one scan of one target. overridable */
#define BH_MAX_SCAN_ARENA (512u * 1024u * 1024u)
/* YAML nesting depth, alias expansions and document size (policy, compose, manifests);
 * the Compose and Kubernetes readers bound their documents tighter (BH_MAX_*_DEPTH). */
#define BH_MAX_YAML_DEPTH 256u
#define BH_MAX_YAML_ALIASES 10000u
#define BH_MAX_YAML_NODES 1000000u
/* Lines in an ignore file; entries in a policy list. */
#define BH_MAX_IGNORE_LINES 100000u
#define BH_MAX_POLICY_ITEMS 100000u
/* Directory walk: deepest directory, most files considered. */
#define BH_MAX_WALK_DEPTH 64u
#define BH_MAX_WALK_FILES 1000000u
/* Longest path bulkhead handles. */
#define BH_MAX_PATH 4096u
/* Largest report bulkhead builds in memory before writing. */
#define BH_MAX_OUTPUT_BUF (1024u * 1024u * 1024u)

/* YAML stream: bytes of one stream and documents in it (input/yaml.c). */
#define BH_MAX_YAML_INPUT BH_MAX_CONFIG_FILE
#define BH_MAX_YAML_DOCS 10000u

/* Shell tokenizer: nesting of quotes, `$(`, `${` and backquotes inside one word, and of
 * `case` compounds (input/shell.c). */
#define BH_MAX_SHELL_QUOTE_DEPTH 1024u
#define BH_MAX_SHELL_COMPOUND 1024u
/* Longest image reference name (registry/repository) per the distribution spec (model/imageref.c).
 */
#define BH_MAX_IMAGEREF_NAME 255u

/* Policy file: longest list entry, largest images.max_age_days (100 years). */
#define BH_MAX_POLICY_ENTRY 1024u
#define BH_MAX_POLICY_AGE_DAYS 36500

/* Deepest nesting of a JSON value inside a Dockerfile exec-form array (`RUN ["a", [[...]]]`). */
#define BH_MAX_JSON_DEPTH 64u

/* Command wrappers (sudo, env, nice, xargs ...) looked through to find the command a shell
 * command really runs (rules/cmdinfo.c). */
#define BH_MAX_CMD_WRAPPERS 16u

/* Hops followed through `pid|ipc|network: container:NAME` / `service:NAME` chains to find a
 * container that shares a host namespace (rules/runpriv.c); a longer chain or a cycle stops. */
#define BH_MAX_NS_CHAIN 16u

/* Same-file `extends:` hops followed from one Compose service (input/compose.c). */
#define BH_MAX_COMPOSE_EXTENDS 32u
/* Deepest nesting in a Compose document (real files stay under 10 levels). */
#define BH_MAX_COMPOSE_DEPTH 64u

/* Kubernetes manifests (input/kube.c): deepest nesting of one document (deep enough for CRD
 * schemas, far below BH_MAX_YAML_DEPTH) and of `kind: List` objects inside each other. */
#define BH_MAX_KUBE_DEPTH 64u
#define BH_MAX_KUBE_LIST_NESTING 4u

/* docker run lines (input/runargs.c): a shell script too long for one tokenizer pass
 * (BH_MAX_SHELL_WORDS) is read again in pieces of at most this many bytes, which cannot hold
 * that many words. */
#define BH_RUNARGS_SHELL_CHUNK (64u * 1024u)

/* Image sources (input/imgsrc.c): entries indexed in one docker save / OCI tar (a real one has
 * about four per layer), longest member name, symbolic/hard link hops followed to find a member,
 * and the largest manifest, index or config blob read whole. */
#define BH_MAX_ARCHIVE_MEMBERS 100000u
#define BH_MAX_MEMBER_NAME 1024u
#define BH_MAX_ARCHIVE_LINKS 16u
#define BH_MAX_IMAGE_METADATA (16u * 1024u * 1024u)

/* JSON documents (input/json.c: image configs, manifests, indexes): largest document and most
 * values in one; nesting is bounded by BH_MAX_JSON_DEPTH above. */
#define BH_MAX_JSON_INPUT BH_MAX_IMAGE_METADATA
#define BH_MAX_JSON_NODES 1000000u
/* Image config (input/imgconfig.c): most history entries and layers (diff_ids) read. */
#define BH_MAX_IMAGE_HISTORY 10000u
#define BH_MAX_IMAGE_LAYERS 10000u
/* Manifests (input/manifest.c): most descriptors in one index, manifest or manifest.json. */
#define BH_MAX_MANIFEST_ENTRIES 100000u

/* Layer pass (input/layer.c): decompressed bytes of one layer, decompression ratio allowed once
 * the first MiB is out, entries in one layer, bytes in one entry's path or link target. */
#define BH_MAX_LAYER_BYTES (64ull * 1024u * 1024u * 1024u)
#define BH_MAX_LAYER_RATIO 1000u
#define BH_MAX_LAYER_ENTRIES 10000000u
#define BH_MAX_LAYER_PATH 4096u
/* Image model (model/image.c): entries over all layers, symlink hops in one lookup. */
#define BH_MAX_IMAGE_FILES 50000000u
#define BH_MAX_SYMLINK_HOPS 40u
/* Captured small files (input/imgcollect.c): bytes kept of one file (passwd, os-release, ...). */
#define BH_MAX_CAPTURE_BYTES (4u * 1024u * 1024u)
/* Secret scanning (input/secretscan.c): largest file scanned, hits kept per file. */
#define BH_MAX_SECRET_SCAN_BYTES (2u * 1024u * 1024u)
#define BH_MAX_SECRET_HITS_PER_FILE 20u
/* Registry client (input/registry.c, net/http.c): manifest and token response bytes, redirects. */
#define BH_MAX_HTTP_SMALL_BODY BH_MAX_IMAGE_METADATA
#define BH_MAX_HTTP_REDIRECTS 8u
/* Image loader: layers scanned at once (--parallel). */
#define BH_MAX_PARALLEL 256u

/* HTTP streams (net/http.c): seconds a read may wait without a byte arriving before the
 * transfer is given up (a stalled or trickling server cannot hold a worker forever). */
#define BH_HTTP_STALL_S 300u
/* Bytes kept of the response headers net/http.c captures (WWW-Authenticate lines combined);
 * a header past it is ignored, so a hostile server cannot grow the arena line by line. */
#define BH_MAX_HTTP_HEADER_VALUE (64u * 1024u)

/* OS package databases (input/pkgdb/): largest database read whole, most packages in one, longest
 * line of a dpkg/apk text database, and inside an rpm header blob the most index entries and
 * data bytes (rpm's own caps are 65535 and 256 MiB). */
#define BH_MAX_PKGDB_BYTES (512u * 1024u * 1024u)
#define BH_MAX_PKGDB_PACKAGES 1000000u
#define BH_MAX_PKGDB_LINE (1u * 1024u * 1024u)
#define BH_MAX_RPM_HEADER_TAGS 65535u
#define BH_MAX_RPM_HEADER_DATA (256u * 1024u * 1024u)

/* SQLite (input/sqlite.c): virtual machine steps one query over a database from an image may
 * take before it is stopped (reading a whole real rpmdb.sqlite takes a few million). */
#define BH_MAX_SQLITE_STEPS 2000000000ull

/* Version ordering (vuln/version/): most parts one version string is split into where a scheme
 * needs them all at once (Maven items, PEP 440 legacy parts); parts beyond it are ignored. */
#define BH_MAX_VERSION_PARTS 128u

/* Language package metadata (input/pkgdb/lang.c): largest text file read (METADATA, Cargo.lock,
 * gemspec; JSON formats are also bounded by BH_MAX_JSON_INPUT), longest license string kept
 * (a METADATA License field may hold a whole license text; longer ones are dropped), and deepest
 * dependencies nesting of a package-lock.json v1 tree walked. */
#define BH_MAX_LANGPKG_BYTES (64u * 1024u * 1024u)
#define BH_MAX_LANGPKG_LICENSE 256u
#define BH_MAX_NPM_LOCK_DEPTH 32u

/* CVSS vector strings (vuln/cvss.c): longest vector accepted. A v4.0 vector with every base,
 * threat, environmental and supplemental metric spelled out is about 230 bytes. */
#define BH_MAX_CVSS_VECTOR 512u

/* Zip archives (input/zip.c: OSV exports, Java archives): most members walked in one archive,
 * and the most bytes one member may inflate to relative to its compressed size (a member over
 * the caller's size cap is an error either way). */
#define BH_MAX_ZIP_MEMBERS 4000000u
#define BH_MAX_ZIP_RATIO 1000u

/* Packages in binaries (input/pkgdb/gobin.c, java.c): bytes of Go build info read after the
 * magic, largest Java archive read whole, and deepest nesting of archives inside archives. */
#define BH_MAX_GOBUILDINFO (1u * 1024u * 1024u)
#define BH_MAX_JAR_BYTES (256u * 1024u * 1024u)
#define BH_MAX_JAR_DEPTH 4u

/* Package databases and language metadata captured whole by the layer pass
 * (input/imgcollect.c): larger than BH_MAX_CAPTURE_BYTES because rpm databases are. */
#define BH_MAX_PKG_CAPTURE_BYTES (256u * 1024u * 1024u)

/* The matcher (vuln/match.c): longest version string it rewrites on the stack (Go versions get
 * the "v" SemVer ranges lack); a longer installed or event version counts as unparsable. */
#define BH_MAX_MATCH_VERSION 256u

/* The vulnerability database (vuln/vulndb.c): largest encoded affected entry (ranges and
 * versions of one package of one advisory, after merging aliases), and most passes of the
 * alias-merging label propagation (a chain of records each naming the next needs one pass
 * per link; real feeds need two or three). */
#define BH_MAX_VULNDB_AFFECTED (16u * 1024u * 1024u)
#define BH_MAX_VULNDB_MERGE_PASSES 10000u

/* Root filesystems (input/rootfs.c): largest executable read whole to look for Go build info
 * (real Go binaries stay under a few hundred MiB). */
#define BH_MAX_ROOTFS_EXEC_BYTES (1024u * 1024u * 1024u)

/* The host reader (input/host/): largest config, unit, account or /proc text file read whole,
 * most names taken from one directory (drop-ins, home, run/user, /proc, sudoers.d), longest
 * /proc/PID/cmdline, most settings one source may add, largest POSIX ACL xattr, and the
 * largest /proc/net/tcp{,6} (one line per socket; busy hosts have tens of thousands). */
#define BH_MAX_HOST_FILE (4u * 1024u * 1024u)
#define BH_MAX_HOST_DIR_ENTRIES 100000u
#define BH_MAX_HOST_CMDLINE (2u * 1024u * 1024u)
#define BH_MAX_HOST_SETTINGS 100000u
#define BH_MAX_HOST_ACL (64u * 1024u)
#define BH_MAX_HOST_PROCNET (64u * 1024u * 1024u)

/* The live engine reader (input/engine/api.c): largest body of a list (GET /containers/json,
 * /images/json) and of one container's documents (inspect, /changes, /exec/ID/json), most
 * containers and images taken from a list, and most filesystem changes and exec sessions kept
 * per container (a long-running container can collect hundreds of thousands of changes). */
#define BH_MAX_ENGINE_LIST_BODY (64u * 1024u * 1024u)
#define BH_MAX_ENGINE_DOC_BODY (64u * 1024u * 1024u)
#define BH_MAX_ENGINE_CONTAINERS 100000u
#define BH_MAX_ENGINE_IMAGES 100000u
#define BH_MAX_ENGINE_CHANGES 200000u
#define BH_MAX_ENGINE_EXECS 1000u

#endif
