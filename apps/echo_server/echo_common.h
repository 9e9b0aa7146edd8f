/* Shared by the echo apps: the server's package name; reading one's own package name from the TBF header. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libtock/tock.h>

#define ECHO_SERVER_PACKAGE "org.tockhost.echo_server"
#define ECHO_MAX_PAYLOAD 64

/*
 * An app's flash starts with its own TBF header (Tock's layout, which tockhost keeps): a 16-byte
 * base header (u16 version, u16 header_size, ...) then TLVs (u16 type, u16 length, value padded
 * to 4 bytes). Type 3 is the package name. Copies it NUL-terminated into out; "" if absent.
 */
static inline void echo_own_package_name(char* out, size_t out_len)
{
	const uint8_t* flash = tock_app_flash_begins_at();
	const uint8_t* end = tock_app_flash_ends_at();
	uint16_t header_size, type, len;
	size_t pos = 16;

	out[0] = '\0';
	if (flash == NULL || end == NULL || end - flash < 16)
		return;
	memcpy(&header_size, flash + 2, sizeof(header_size));
	if (header_size > end - flash)
		return;
	while (pos + 4 <= header_size) {
		memcpy(&type, flash + pos, sizeof(type));
		memcpy(&len, flash + pos + 2, sizeof(len));
		pos += 4;
		if (pos + len > header_size)
			return;
		if (type == 3) {
			size_t n = len < out_len - 1 ? len : out_len - 1;

			memcpy(out, flash + pos, n);
			out[n] = '\0';
			return;
		}
		pos += (len + 3u) & ~3u;
	}
}
