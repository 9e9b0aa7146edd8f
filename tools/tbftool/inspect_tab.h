/* tbftool: print a TAB's metadata.toml and inspect each TBF in it. */
#ifndef TBFTOOL_INSPECT_TAB_H
#define TBFTOOL_INSPECT_TAB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * data[0..len) is a tar (tab_is_tar). Prints the metadata, which TBF tockhost would run, and
 * every .tbf member as tbftool_inspect_image does, labelled "name:member". A hostile or broken
 * archive gets one line "name: TAB ..." on errs. Returns 0 when the archive and every TBF are
 * good, 1 otherwise.
 */
int tbftool_inspect_tab(FILE *out, FILE *errs, const char *name, const uint8_t *data, size_t len);

#endif
