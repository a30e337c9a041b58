/*
 * daemon.h - an image from a local Docker engine, streamed: `docker:NAME`
 * becomes GET /images/NAME/get (a `docker save` tar) over the engine's unix
 * socket or tcp:// address (DOCKER_HOST honoured). GET only; nothing is
 * written to the engine.
 */
#ifndef BH_DAEMON_H
#define BH_DAEMON_H

#include "core/err.h"
#include "core/reader.h"

struct bh_arena;

/*
 * The engine address: host when not NULL, else $DOCKER_HOST, else
 * unix:///var/run/docker.sock. Accepts unix:///path and tcp://host:port (then
 * http://host:port; with $DOCKER_TLS_VERIFY/$DOCKER_CERT_PATH the TLS files). Fills the
 * socket path or the base URL in the arena. BH_EUSAGE for anything else.
 */
struct bh_engine_addr {
    const char *unix_socket; /* or NULL */
    const char *base_url;    /* "http://localhost" for unix sockets, "http(s)://host:port" */
    const char *ca_file, *client_cert, *client_key; /* or NULL */
};
int bh_daemon_addr(struct bh_arena *a, const char *host, struct bh_engine_addr *out,
                   struct bh_err *err);

/*
 * Open the `docker save` stream of image name (NAME[:TAG], ID or NAME@DIGEST). A
 * missing image is BH_EUSAGE ("no such image"), an unreachable engine BH_EIO naming the
 * address.
 */
int bh_daemon_image_stream(struct bh_arena *a, const struct bh_engine_addr *addr, const char *name,
                           struct bh_reader *out, struct bh_err *err);

#endif
