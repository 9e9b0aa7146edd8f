/* Names of TBF credentials formats, for tools that print footers (numbers and sources: loader/tbf.h). */
#include "loader/tbf.h"

const char *tbf_credential_name(uint32_t format)
{
	switch (format) {
	case TBF_CRED_RESERVED: return "Reserved";
	case TBF_CRED_RSA3072: return "RSA-3072 key";
	case TBF_CRED_RSA4096: return "RSA-4096 key";
	case TBF_CRED_SHA256: return "SHA-256";
	case TBF_CRED_SHA384: return "SHA-384";
	case TBF_CRED_SHA512: return "SHA-512";
	case TBF_CRED_ECDSA_P256: return "ECDSA NIST P-256";
	case TBF_CRED_CLEARTEXT_ID: return "cleartext ID";
	default: return NULL;
	}
}
