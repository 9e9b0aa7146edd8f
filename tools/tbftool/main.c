/* tbftool: command line for packing an app ELF into a TBF image and inspecting TBF images. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "basic/file.h"
#include "elf_info.h"
#include "fileio.h"
#include "inspect.h"
#include "inspect_tab.h"
#include "loader/tab.h"
#include "tab_write.h"
#include "tbf_write.h"

#define MAX_INPUT (256u << 20)

static const char usage_text[] =
	"Usage: tbftool pack --name PKG --output OUT.tbf|OUT.tab [OPTIONS] ELF\n"
	"       tbftool inspect FILE...\n"
	"\n"
	"pack wraps an x86-64 ELF shared object into a Tock Binary Format image:\n"
	"  --name PKG                 package name (UTF-8, at most 255 bytes)\n"
	"  --output FILE              where to write the image (replaced atomically); a name ending in .tab\n"
	"                             writes a TAB, as elf2tab does: a tar of metadata.toml and x86_64.tbf\n"
	"  --tab                      write a TAB whatever the output's name\n"
	"  --deterministic            TAB without build-date and with member times 0 (reproducible)\n"
	"  --min-ram BYTES            minimum RAM size (default: writable segments + guard + stack + heap + grant)\n"
	"  --stack BYTES              stack size for the default minimum RAM (default 16384)\n"
	"  --heap BYTES               heap size for the default minimum RAM (default 32768)\n"
	"  --grant BYTES              grant region size for the default minimum RAM (default 8192)\n"
	"  --short-id N               ShortId TLV (0 = none, LocallyUnique)\n"
	"  --permission D:O:MASK      Permissions entry: driver, offset (command / 64), allowed-command mask;\n"
	"                             repeat for more entries\n"
	"  --kernel-version M.m       required kernel version (default 2.3)\n"
	"  --disabled                 clear the enabled flag (the app does not start at boot)\n"
	"  --no-sha256                leave out the SHA-256 credentials footer\n"
	"  --minimum-footer-size N    footers take at least N bytes (0..65535): a Reserved credentials footer\n"
	"                             pads them, room tockloader can fill later (elf2tab's option)\n"
	"inspect prints every header field, TLV and footer, and checks the checksum and SHA-256; of a TAB\n"
	"it prints metadata.toml and inspects every .tbf in it.\n"
	"Numbers are decimal or 0x-prefixed hex. Exit status: 0 ok, 1 on any error.\n";

struct pack_args {
	const char *output, *elf_path;
	bool min_ram_given, tab, deterministic;
	struct tbftool_ram_budget budget;
	struct tbftool_pack_params params;
};

/* Decimal or 0x hex, no sign, no spaces, no trailing junk, at most max. */
static bool parse_number(const char *s, uint64_t max, uint64_t *ret)
{
	const char *digits = "0123456789";
	int base = 10;
	unsigned long long v;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		digits = "0123456789abcdefABCDEF";
		base = 16;
		s += 2;
	}
	if (!s[0] || strspn(s, digits) != strlen(s))
		return false;
	errno = 0;
	v = strtoull(s, NULL, base);
	if (errno || v > max)
		return false;
	*ret = v;
	return true;
}

static bool number_opt(const char *opt, const char *s, uint64_t max, uint64_t *ret)
{
	if (parse_number(s, max, ret))
		return true;
	fprintf(stderr, "tbftool: %s: invalid number '%s' (decimal or 0x hex, at most %llu)\n", opt, s,
		(unsigned long long)max);
	return false;
}

static bool parse_permission(const char *s, struct tbftool_pack_params *p)
{
	char buf[128], *second, *third;
	uint64_t driver, offset, mask;

	if (p->permission_count >= TBF_MAX_PERMISSIONS) {
		fprintf(stderr, "tbftool: --permission: at most %d entries\n", TBF_MAX_PERMISSIONS);
		return false;
	}
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	second = strchr(buf, ':');
	third = second ? strchr(second + 1, ':') : NULL;
	if (!third)
		goto bad;
	*second++ = '\0';
	*third++ = '\0';
	if (!parse_number(buf, UINT32_MAX, &driver) || !parse_number(second, UINT32_MAX, &offset) ||
	    !parse_number(third, UINT64_MAX, &mask))
		goto bad;
	p->permissions[p->permission_count].driver = (uint32_t)driver;
	p->permissions[p->permission_count].offset = (uint32_t)offset;
	p->permissions[p->permission_count].allowed_commands = mask;
	p->permission_count++;
	return true;
bad:
	fprintf(stderr, "tbftool: --permission: expected DRIVER:OFFSET:MASK, got '%s'\n", s);
	return false;
}

static bool parse_kernel_version(const char *s, struct tbftool_pack_params *p)
{
	char buf[32], *dot;
	uint64_t major, minor;

	if (strlen(s) < sizeof(buf)) {
		strcpy(buf, s);
		dot = strchr(buf, '.');
		if (dot) {
			*dot++ = '\0';
			if (parse_number(buf, UINT16_MAX, &major) && parse_number(dot, UINT16_MAX, &minor)) {
				p->kernel_major = (uint16_t)major;
				p->kernel_minor = (uint16_t)minor;
				return true;
			}
		}
	}
	fprintf(stderr, "tbftool: --kernel-version: expected MAJOR.MINOR, got '%s'\n", s);
	return false;
}

enum { OPT_NAME = 256, OPT_OUTPUT, OPT_MIN_RAM, OPT_HEAP, OPT_STACK, OPT_GRANT, OPT_SHORT_ID,
       OPT_PERMISSION, OPT_KERNEL_VERSION, OPT_DISABLED, OPT_NO_SHA256, OPT_MIN_FOOTER, OPT_TAB,
       OPT_DETERMINISTIC, OPT_HELP };

static const struct option pack_options[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "min-ram", required_argument, NULL, OPT_MIN_RAM },
	{ "heap", required_argument, NULL, OPT_HEAP },
	{ "stack", required_argument, NULL, OPT_STACK },
	{ "grant", required_argument, NULL, OPT_GRANT },
	{ "short-id", required_argument, NULL, OPT_SHORT_ID },
	{ "permission", required_argument, NULL, OPT_PERMISSION },
	{ "kernel-version", required_argument, NULL, OPT_KERNEL_VERSION },
	{ "disabled", no_argument, NULL, OPT_DISABLED },
	{ "no-sha256", no_argument, NULL, OPT_NO_SHA256 },
	{ "minimum-footer-size", required_argument, NULL, OPT_MIN_FOOTER },
	{ "tab", no_argument, NULL, OPT_TAB },
	{ "deterministic", no_argument, NULL, OPT_DETERMINISTIC },
	{ "help", no_argument, NULL, OPT_HELP },
	{ 0 },
};

/* One option; returns false after printing an error. */
static bool pack_option(int c, const char *arg, struct pack_args *a)
{
	uint64_t v;

	switch (c) {
	case OPT_NAME: a->params.package_name = arg; return true;
	case OPT_OUTPUT: a->output = arg; return true;
	case OPT_MIN_RAM:
		if (!number_opt("--min-ram", arg, UINT32_MAX, &v))
			return false;
		a->params.minimum_ram_size = (uint32_t)v;
		a->min_ram_given = true;
		return true;
	case OPT_HEAP: return number_opt("--heap", arg, UINT32_MAX, &v) && ((a->budget.heap = (uint32_t)v), true);
	case OPT_STACK: return number_opt("--stack", arg, UINT32_MAX, &v) && ((a->budget.stack = (uint32_t)v), true);
	case OPT_GRANT: return number_opt("--grant", arg, UINT32_MAX, &v) && ((a->budget.grant = (uint32_t)v), true);
	case OPT_SHORT_ID:
		return number_opt("--short-id", arg, UINT32_MAX, &v) && ((a->params.short_id = (uint32_t)v), true);
	case OPT_PERMISSION: return parse_permission(arg, &a->params);
	case OPT_KERNEL_VERSION: return parse_kernel_version(arg, &a->params);
	case OPT_DISABLED: a->params.enabled = false; return true;
	case OPT_NO_SHA256: a->params.sha256 = false; return true;
	case OPT_TAB: a->tab = true; return true;
	case OPT_DETERMINISTIC: a->deterministic = true; return true;
	case OPT_MIN_FOOTER:
		return number_opt("--minimum-footer-size", arg, UINT16_MAX, &v) &&
		       ((a->params.minimum_footer_size = (uint32_t)v), true);
	default:
		fprintf(stderr, "tbftool: pack: bad usage (see tbftool --help)\n");
		return false;
	}
}

static int pack_run(struct pack_args *a)
{
	uint8_t *elf = NULL, *image = NULL;
	size_t elf_len, image_len;
	struct tbftool_elf_info elf_info;
	char why[256];
	int r;

	r = basic_read_file(a->elf_path, MAX_INPUT, &elf, &elf_len);
	if (r < 0) {
		fprintf(stderr, "tbftool: %s: %s\n", a->elf_path, strerror(-r));
		return 1;
	}
	r = tbftool_elf_read(elf, elf_len, &elf_info, why, sizeof(why));
	if (r == 0 && !a->min_ram_given && tbftool_min_ram(&elf_info, &a->budget, &a->params.minimum_ram_size) < 0) {
		snprintf(why, sizeof(why), "minimum RAM size does not fit in 32 bits");
		r = -EOVERFLOW;
	}
	if (r < 0) {
		fprintf(stderr, "tbftool: %s: %s\n", a->elf_path, why);
		goto out;
	}
	r = tbftool_pack_image(&a->params, elf, elf_len, &image, &image_len, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "tbftool: %s: %s\n", a->elf_path, why);
		goto out;
	}
	if (a->tab) {
		struct tbftool_tab_params tp = { a->params.package_name, a->params.kernel_major, a->params.kernel_minor,
						 a->deterministic, time(NULL) };
		uint8_t *tab;
		size_t tab_len;

		r = tbftool_tab_build(&tp, image, image_len, &tab, &tab_len, why, sizeof(why));
		if (r < 0) {
			fprintf(stderr, "tbftool: %s: %s\n", a->output, why);
			goto out;
		}
		free(image);
		image = tab;
		image_len = tab_len;
	}
	r = tbftool_write_atomic(a->output, image, image_len);
	if (r < 0)
		fprintf(stderr, "tbftool: %s: %s\n", a->output, strerror(-r));
out:
	free(image);
	free(elf);
	return r < 0 ? 1 : 0;
}

static int cmd_pack(int argc, char **argv)
{
	struct pack_args a = {
		.budget = { TBFTOOL_DEFAULT_STACK, TBFTOOL_DEFAULT_HEAP, TBFTOOL_DEFAULT_GRANT },
		.params = { .kernel_major = 2, .kernel_minor = 3, .enabled = true, .sha256 = true },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", pack_options, NULL)) != -1) {
		if (c == OPT_HELP) {
			fputs(usage_text, stdout);
			return 0;
		}
		if (c == '?' || c == ':') {
			fprintf(stderr, "tbftool: pack: unknown option or missing argument '%s' (see tbftool --help)\n",
				argv[optind - 1]);
			return 1;
		}
		if (!pack_option(c, optarg, &a))
			return 1;
	}
	if (!a.params.package_name || !a.output || optind != argc - 1) {
		fprintf(stderr, "tbftool: pack: needs --name, --output and exactly one ELF (see tbftool --help)\n");
		return 1;
	}
	a.elf_path = argv[optind];
	if (strlen(a.output) > 4 && !strcmp(a.output + strlen(a.output) - 4, ".tab"))
		a.tab = true;
	if (a.deterministic && !a.tab) {
		fprintf(stderr, "tbftool: pack: --deterministic is for TABs (--tab or an output ending in .tab)\n");
		return 1;
	}
	return pack_run(&a);
}

static int cmd_inspect(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "tbftool: inspect: no files given (see tbftool --help)\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		uint8_t *data;
		size_t len;
		int r;

		if (strcmp(argv[i], "--help") == 0) {
			fputs(usage_text, stdout);
			return 0;
		}
		r = basic_read_file(argv[i], MAX_INPUT, &data, &len);
		if (r < 0) {
			fprintf(stderr, "tbftool: %s: %s\n", argv[i], strerror(-r));
			status = 1;
			continue;
		}
		if (tab_is_tar(data, len)) {
			if (tbftool_inspect_tab(stdout, stderr, argv[i], data, len))
				status = 1;
		} else if (len < 2) {
			fprintf(stderr, "%s: version at offset 0: neither a TBF image (%zu bytes, too short) nor a TAB "
				"(tar archive)\n", argv[i], len);
			status = 1;
		} else if ((data[0] | data[1] << 8) != 2) {
			fprintf(stderr, "%s: version at offset 0: neither a TBF image (version %u, expected 2) nor a TAB "
				"(tar archive)\n", argv[i], (unsigned)(data[0] | data[1] << 8));
			status = 1;
		} else if (tbftool_inspect_image(stdout, stderr, argv[i], data, len)) {
			status = 1;
		}
		free(data);
	}
	return status;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return 1;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(argv[1], "pack") == 0)
		return cmd_pack(argc - 1, argv + 1);
	if (strcmp(argv[1], "inspect") == 0)
		return cmd_inspect(argc - 1, argv + 1);
	fprintf(stderr, "tbftool: unknown command '%s' (see tbftool --help)\n", argv[1]);
	return 1;
}
