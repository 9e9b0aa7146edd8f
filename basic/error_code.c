/* Tock's ErrorCode names, indexed by the TRD104 value. */
#include "basic/error_code.h"

#include <stddef.h>

const char *basic_error_code_name(uint32_t code)
{
	static const char *const names[] = { NULL,     "FAIL",   "BUSY",     "ALREADY",  "OFF",
		                             "RESERVE", "INVAL", "SIZE",     "CANCEL",   "NOMEM",
		                             "NOSUPPORT", "NODEVICE", "UNINSTALLED", "NOACK" };

	return code < sizeof(names) / sizeof(names[0]) ? names[code] : NULL;
}
