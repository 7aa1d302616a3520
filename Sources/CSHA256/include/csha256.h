#ifndef BACKOFFICE_CSHA256_H
#define BACKOFFICE_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the x86 SHA extensions (and the SSSE3/SSE4.1 they are used with), else 0.
int backoffice_sha256_hw_available(void);

/// Compresses `blocks` whole 64-byte blocks at `data` into `state` (the eight SHA-256 words, in
/// order a..h) with the SHA extensions. Call only when backoffice_sha256_hw_available() says 1.
void backoffice_sha256_hw_compress(uint32_t state[8], const uint8_t *data, size_t blocks);

/// The 64 round constants (FIPS 180-4, 4.2.2), for the Swift rounds too.
const uint32_t *backoffice_sha256_k(void);

#endif
