/* Small JSON builders and names for control replies: u64s, IPC identifiers, untrusted bytes, ErrorCodes, variants. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "control/internal.h"

struct json_object *control_json_u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

/* Hex text: an identifier is opaque, and 64-bit numbers lose precision in many JSON readers. */
struct json_object *control_json_id(uint64_t ipc_id)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, ipc_id);
	return json_object_new_string(buf);
}

/* App-chosen bytes (names) as safe text: printable ASCII as is, anything else \xNN; trailing NULs dropped. */
struct json_object *control_json_bytes(const uint8_t *b, size_t len)
{
	char buf[4 * 256 + 1];
	size_t off = 0;

	while (len && b[len - 1] == 0)
		len--;
	for (size_t i = 0; i < len && off + 5 < sizeof(buf); i++) {
		if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\\')
			buf[off++] = (char)b[i];
		else
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, "\\x%02x", b[i]);
	}
	buf[off] = '\0';
	return json_object_new_string(buf);
}

struct json_object *control_json_hex(const uint8_t *b, size_t len)
{
	char buf[2 * 256 + 1];
	size_t off = 0;

	for (size_t i = 0; i < len && off + 3 <= sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%02x", b[i]);
	buf[off] = '\0';
	return json_object_new_string(buf);
}

const char *control_variant_name(uint32_t variant)
{
	switch (variant) {
	case TOCK_RET_FAILURE: return "Failure";
	case TOCK_RET_FAILURE_U32: return "FailureU32";
	case TOCK_RET_FAILURE_U32_U32: return "FailureU32U32";
	case TOCK_RET_FAILURE_U64: return "FailureU64";
	case TOCK_RET_SUCCESS: return "Success";
	case TOCK_RET_SUCCESS_U32: return "SuccessU32";
	case TOCK_RET_SUCCESS_U32_U32: return "SuccessU32U32";
	case TOCK_RET_SUCCESS_U64: return "SuccessU64";
	case TOCK_RET_SUCCESS_U32_U32_U32: return "SuccessU32U32U32";
	case TOCK_RET_SUCCESS_U32_U64: return "SuccessU32U64";
	default: return NULL;
	}
}

const char *control_driver_name(struct hk_kernel *k, uint32_t driver)
{
	const struct hk_driver_ops *ops = hk_kernel_driver(k, driver, NULL);

	return ops ? ops->name : NULL;
}

/* The IPC capsules all name themselves ipc_* (Share included), whatever number the board gave them. */
bool control_driver_is_ipc(struct hk_kernel *k, uint32_t driver)
{
	const char *name = control_driver_name(k, driver);

	return name && !strncmp(name, "ipc_", 4);
}
