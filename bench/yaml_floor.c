/*
 * yaml_floor.c - the floor for the Compose/Kubernetes benchmark: parse every
 * file named on standard input (one path a line) with libfyaml's event parser
 * and nothing else. bulkhead cannot read YAML faster than its YAML library;
 * the benchmark prints bulkhead's time as a multiple of this.
 */
#include <libfyaml.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    char path[4096];
    unsigned long files = 0, events = 0, failed = 0;

    while (fgets(path, sizeof(path), stdin)) {
        struct fy_parse_cfg cfg;
        struct fy_parser *fyp;
        struct fy_event *ev;
        size_t n = strlen(path);

        if (n && path[n - 1] == '\n')
            path[--n] = '\0';
        if (!n)
            continue;
        memset(&cfg, 0, sizeof(cfg));
        cfg.flags = FYPCF_QUIET;
        fyp = fy_parser_create(&cfg);
        if (!fyp || fy_parser_set_input_file(fyp, path)) {
            failed++;
            fy_parser_destroy(fyp);
            continue;
        }
        while ((ev = fy_parser_parse(fyp))) {
            events++;
            fy_parser_event_free(fyp, ev);
        }
        if (fy_parser_get_stream_error(fyp))
            failed++;
        fy_parser_destroy(fyp);
        files++;
    }
    printf("%lu files, %lu events, %lu failed\n", files, events, failed);
    return failed ? 1 : 0;
}
