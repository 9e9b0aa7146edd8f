/* Tock's ErrorCode names (TRD104: 1 FAIL .. 13 NOACK), the one table for every layer (libc only). */
#ifndef TOCKHOST_BASIC_ERROR_CODE_H
#define TOCKHOST_BASIC_ERROR_CODE_H

#include <stdint.h>

/* "FAIL" for 1 ... "NOACK" for 13; NULL outside 1..13. */
const char *basic_error_code_name(uint32_t code);

#endif
