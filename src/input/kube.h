/*
 * kube.h - the Kubernetes manifest reader: Pods, workload controllers,
 * CronJobs, PodTemplates and `kind: List`, multi-document, YAML 1.1 scalars.
 * Each container (init and ephemeral included) becomes a struct bh_runspec
 * with the pod-level settings folded in; Services become struct bh_service.
 */
#ifndef BH_KUBE_H
#define BH_KUBE_H

#include "core/err.h"
#include "model/runspec.h"

#include <stddef.h>

struct bh_arena;

/*
 * Parse (text, len), the contents of `file`, into *out (initialised here).
 * 0, or BH_EPARSE/BH_ELIMIT/BH_ENOMEM with err naming file, line and column.
 * Objects of kinds that hold no pod spec (ConfigMap, Role, ...) are skipped;
 * a document without apiVersion/kind, or an unknown workload shape, is BH_EPARSE.
 */
int bh_kube_parse(struct bh_arena *a, const char *file, const char *text, size_t len,
                  struct bh_runset *out, struct bh_err *err);

/* 0..100: a YAML document with top-level `apiVersion:` and `kind:`. Name-only (head NULL): 0. */
int bh_kube_bid(const char *name, const char *head, size_t len);

#endif
