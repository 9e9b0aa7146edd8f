/* libFuzzer harness for the TBF parser: parse, then credentials and permission checks on success. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/tbf.h"
#include "tock/abi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Results must obey the documented contract, not just avoid crashing. */
static void check_error(int r, const struct tbf_error *err)
{
	if (r >= 0)
		__builtin_trap();
	if (!err->field || !err->message[0] || strchr(err->message, '\n'))
		__builtin_trap();
}

static void check_info(const struct tbf_info *info, size_t size)
{
	if (info->version != 2 || info->header_size < TBF_BASE_HEADER_SIZE || info->header_size > info->total_size ||
	    info->total_size > size)
		__builtin_trap();
	if (info->binary_end_offset > info->total_size ||
	    (uint64_t)info->header_size + info->protected_trailer_size > info->binary_end_offset)
		__builtin_trap();
	if (info->package_name_len > TBF_MAX_PACKAGE_NAME || strlen(info->package_name) != info->package_name_len)
		__builtin_trap();
	if (info->permission_count > TBF_MAX_PERMISSIONS || info->writeable_flash_count > TBF_MAX_WRITEABLE_FLASH ||
	    info->storage_read_count > TBF_MAX_STORAGE_IDS || info->storage_modify_count > TBF_MAX_STORAGE_IDS)
		__builtin_trap();
}

static void check_permissions(const struct tbf_info *info)
{
	/* A listed driver passes the driver filter; a command check gives 0 or NODEVICE only. */
	for (uint16_t i = 0; i < info->permission_count; i++) {
		const struct tbf_permission *p = &info->permissions[i];
		int r;

		if (tbf_permission_check_driver(info, p->driver) != 0)
			__builtin_trap();
		r = tbf_permission_check_command(info, p->driver, p->offset * 64u + 5u);
		if (r != 0 && r != TOCK_ERR_NODEVICE)
			__builtin_trap();
	}
	if (!info->has_permissions && (tbf_permission_check_command(info, 0x1234, 77) != 0 ||
				       tbf_permission_check_driver(info, 0x1234) != 0))
		__builtin_trap();
}

static void run_one(const uint8_t *data, size_t size)
{
	struct tbf_info info;
	struct tbf_error err;
	int r;

	r = tbf_parse(data, size, &info, &err);
	if (r != 0) {
		check_error(r, &err);
		return;
	}
	check_info(&info, size);
	check_permissions(&info);
	r = tbf_verify_credentials(data, size, &info, &err);
	if (r != 0)
		check_error(r, &err);
	else if (info.sha256_verified != info.has_sha256)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	uint32_t sum;
	size_t header_size;

	run_one(data, size);
	/*
	 * Random bytes almost never carry a correct checksum, so also parse a copy with the checksum
	 * fixed: that lets the fuzzer reach the TLV and footer code. The copy is exactly size bytes
	 * so ASan still catches any read past the end.
	 */
	if (size < TBF_BASE_HEADER_SIZE)
		return 0;
	header_size = (size_t)(data[2] | (data[3] << 8));
	if (header_size > size)
		header_size = size;
	copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	sum = tbf_header_checksum(copy, header_size);
	copy[12] = (uint8_t)sum;
	copy[13] = (uint8_t)(sum >> 8);
	copy[14] = (uint8_t)(sum >> 16);
	copy[15] = (uint8_t)(sum >> 24);
	run_one(copy, size);
	free(copy);
	return 0;
}
