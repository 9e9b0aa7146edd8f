/* Symbols the runner provides to apps instead of glibc's (the malloc family aside, see heap.h). */
#ifndef TOCKHOST_LDR_OVERRIDES_H
#define TOCKHOST_LDR_OVERRIDES_H

/* Address of the runner's replacement for an app import `name`, or NULL to use glibc's. */
void *ldr_override_lookup(const char *name);

#endif
