#ifndef ROUTERISK_COPENSSL_SHIM_H
#define ROUTERISK_COPENSSL_SHIM_H
/* libcrypto's EVP digest interface (OpenSSL 3), for the SHA-256 of input files. */
#include <openssl/evp.h>
#endif
