#ifndef BACKOFFICE_COLOUR_CACHE_H
#define BACKOFFICE_COLOUR_CACHE_H

#include <stdint.h>

/// What the process-wide colour-transform cache has done since the process started: transforms
/// poppler asked for, transforms lcms actually built, embedded ICC profiles poppler opened against
/// the ones lcms actually parsed; and the transforms the cache holds for later requests now.
typedef struct {
    uint64_t transformsRequested;
    uint64_t transformsBuilt;
    uint64_t profilesRequested;
    uint64_t profilesParsed;
    uint64_t transformsCached;
} backoffice_colour_cache_counts;

backoffice_colour_cache_counts backoffice_colour_cache_read_counts(void);

/// Turns the cache off (0) or on (1, the default) for transforms and profiles asked for from now
/// on, so a test can compare what poppler reads with and without it. Entries already handed out
/// keep working either way.
void backoffice_colour_cache_set_enabled(int enabled);

/// 1 when poppler's calls reach this cache (the executable exports its lcms entry points), else 0.
int backoffice_colour_cache_is_linked(void);

#endif
