/*
 * buildspec.c - helpers over struct bh_buildspec: names, stage lookup and
 * which stages ship. No parsing here; that is input/dockerfile.c.
 */
#include "model/buildspec.h"

#include "core/arena.h"

static const char *const kind_names[] = {
    [BH_I_UNKNOWN] = "UNKNOWN",
    [BH_I_FROM] = "FROM",
    [BH_I_RUN] = "RUN",
    [BH_I_CMD] = "CMD",
    [BH_I_LABEL] = "LABEL",
    [BH_I_MAINTAINER] = "MAINTAINER",
    [BH_I_EXPOSE] = "EXPOSE",
    [BH_I_ENV] = "ENV",
    [BH_I_ADD] = "ADD",
    [BH_I_COPY] = "COPY",
    [BH_I_ENTRYPOINT] = "ENTRYPOINT",
    [BH_I_VOLUME] = "VOLUME",
    [BH_I_USER] = "USER",
    [BH_I_WORKDIR] = "WORKDIR",
    [BH_I_ARG] = "ARG",
    [BH_I_ONBUILD] = "ONBUILD",
    [BH_I_STOPSIGNAL] = "STOPSIGNAL",
    [BH_I_HEALTHCHECK] = "HEALTHCHECK",
    [BH_I_SHELL] = "SHELL",
};

const char *bh_instr_kind_name(enum bh_instr_kind k)
{
    if ((unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) && kind_names[k])
        return kind_names[k];
    return "UNKNOWN";
}

int bh_buildspec_stage_of(const struct bh_buildspec *bs, size_t instr)
{
    if (instr >= bs->ninstrs)
        return -1;
    return bs->instrs[instr].stage;
}

bool bh_buildspec_stage_ships(const struct bh_buildspec *bs, int s)
{
    int cur = bs->final_stage;
    size_t guard = 0;

    /* follow FROM <stage> links back from the final stage; the chain is acyclic
     * because FROM may only name earlier stages, but bound it anyway */
    while (cur >= 0 && (size_t)cur < bs->nstages && guard++ <= bs->nstages) {
        if (cur == s)
            return true;
        cur = bs->stages[cur].base_stage;
    }
    return false;
}

const char *bh_buildspec_stage_label(struct bh_arena *a, const struct bh_buildspec *bs, int s)
{
    if (s < 0 || (size_t)s >= bs->nstages)
        return NULL;
    if (bs->stages[s].name)
        return bs->stages[s].name;
    return bh_arena_printf(a, "#%d", s);
}
