// One set of ICC colour transforms per process, instead of one per page.
//
// poppler-glib reads each page's text with a new TextOutputDev, and poppler keeps its cache of
// ICC-based colour spaces on the output device. So every page of a menu whose text is filled in an
// ICCBased colour space parses the embedded profile again and asks lcms for two new transforms to
// sRGB. Building one costs about 5 million instructions (lcms inverts sRGB's tone curves each
// time): a third of all the work on an eight-page menu. pdftotext keeps one device for the whole
// document and builds them once.
//
// This file defines the lcms entry points poppler calls for that (the executable exports them, see
// Package.swift, so the dynamic linker binds libpoppler's calls here first) and hands them on to
// lcms (dlsym RTLD_NEXT), keeping what was built:
//   - an embedded profile is parsed once per distinct content; poppler gets the same handle back,
//     and closing it is a no-op, so the handle's address names that content for the process;
//   - a transform is built once per (input profile, output profile, formats, intent, flags) and
//     shared, counted by reference; lcms transforms are safe to run from several threads (each
//     call copies the transform's one-pixel cache to the stack).
// Profiles lcms made itself (poppler's sRGB and XYZ) are keyed by address too; when one is closed,
// the transforms made from it leave the cache and are deleted once nothing holds them, so a later
// profile at the same address cannot pick up a stale transform.
//
// What poppler computes is unchanged: the same lcms calls on the same bytes, made fewer times.
// A test reads menus with the cache on and off and compares every glyph's colour.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "colour_cache.h"

// lcms2's types, as lcms2.h declares them (its header is not needed to build this file)
typedef void *cmsHPROFILE;
typedef void *cmsHTRANSFORM;
typedef uint32_t cmsUInt32Number;
typedef int cmsBool;

// Bounds for a long-lived process (the test runner reads hundreds of PDFs) and for a PDF full of
// large CMYK profiles: past them, calls pass straight through to lcms. The copies of the profiles'
// bytes kept to recognise them again stay under MAX_CACHED_BYTES in all.
enum { MAX_PROFILES = 32, MAX_TRANSFORMS = 128, MAX_PROFILE_BYTES = 4 << 20, MAX_CACHED_BYTES = 16 << 20 };

typedef struct {
    cmsUInt32Number size;
    unsigned char *bytes;
    cmsHPROFILE handle;
} cached_profile;

typedef struct {
    cmsHPROFILE input, output;
    cmsUInt32Number inputFormat, outputFormat, intent, flags;
    cmsHTRANSFORM handle;
    uint64_t holders; // handed out and not yet deleted by the caller
    int retired;      // a profile it was made from has closed: delete when the last holder does
} cached_transform;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int disabled;
static cached_profile profiles[MAX_PROFILES];
static int profileCount;
static size_t cachedProfileBytes;
static cached_transform transforms[MAX_TRANSFORMS];
static int transformCount;
static backoffice_colour_cache_counts counts;

static cmsHPROFILE (*real_open_from_mem)(const void *, cmsUInt32Number);
static cmsBool (*real_close_profile)(cmsHPROFILE);
static cmsHTRANSFORM (*real_create_transform)(cmsHPROFILE, cmsUInt32Number, cmsHPROFILE, cmsUInt32Number,
                                              cmsUInt32Number, cmsUInt32Number);
static void (*real_delete_transform)(cmsHTRANSFORM);

static pthread_once_t resolved = PTHREAD_ONCE_INIT;

// lcms calls its own exported functions through its PLT (cmsDetectBlackPoint makes and closes a
// Lab profile and a transform inside cmsCreateTransform), so those calls land here too, on the
// thread that holds the lock. They pass straight through while this thread is inside lcms.
static __thread int insideLCMS;

static void resolve(void) {
    real_open_from_mem = (cmsHPROFILE(*)(const void *, cmsUInt32Number))dlsym(RTLD_NEXT, "cmsOpenProfileFromMem");
    real_close_profile = (cmsBool(*)(cmsHPROFILE))dlsym(RTLD_NEXT, "cmsCloseProfile");
    real_create_transform = (cmsHTRANSFORM(*)(cmsHPROFILE, cmsUInt32Number, cmsHPROFILE, cmsUInt32Number,
                                              cmsUInt32Number, cmsUInt32Number))dlsym(RTLD_NEXT, "cmsCreateTransform");
    real_delete_transform = (void (*)(cmsHTRANSFORM))dlsym(RTLD_NEXT, "cmsDeleteTransform");
}

// Whether lcms's own four functions were found (they are whenever poppler, which needs lcms, runs).
static int ready(void) {
    pthread_once(&resolved, resolve);
    return real_open_from_mem && real_close_profile && real_create_transform && real_delete_transform;
}

// Calls into lcms, counted on the thread, so that its calls back into the four functions pass
// straight through (however deep: a call passed through is itself counted).
static cmsHPROFILE lcms_open(const void *memory, cmsUInt32Number size) {
    insideLCMS++;
    cmsHPROFILE handle = real_open_from_mem(memory, size);
    insideLCMS--;
    return handle;
}

static cmsBool lcms_close(cmsHPROFILE handle) {
    insideLCMS++;
    cmsBool closed = real_close_profile(handle);
    insideLCMS--;
    return closed;
}

static cmsHTRANSFORM lcms_create(cmsHPROFILE input, cmsUInt32Number inputFormat, cmsHPROFILE output,
                                 cmsUInt32Number outputFormat, cmsUInt32Number intent, cmsUInt32Number flags) {
    insideLCMS++;
    cmsHTRANSFORM handle = real_create_transform(input, inputFormat, output, outputFormat, intent, flags);
    insideLCMS--;
    return handle;
}

static void lcms_delete(cmsHTRANSFORM handle) {
    insideLCMS++;
    real_delete_transform(handle);
    insideLCMS--;
}

static int is_cached_profile(cmsHPROFILE handle) {
    for (int i = 0; i < profileCount; i++) {
        if (profiles[i].handle == handle) return 1;
    }
    return 0;
}

static void remove_transform(int index) {
    transforms[index] = transforms[transformCount - 1];
    transformCount--;
}

cmsHPROFILE cmsOpenProfileFromMem(const void *memory, cmsUInt32Number size) {
    if (!ready()) return NULL;
    if (insideLCMS || memory == NULL || size == 0 || size > MAX_PROFILE_BYTES) return lcms_open(memory, size);
    pthread_mutex_lock(&lock);
    counts.profilesRequested++;
    for (int i = 0; i < profileCount && !disabled; i++) {
        if (profiles[i].size == size && memcmp(profiles[i].bytes, memory, size) == 0) {
            cmsHPROFILE handle = profiles[i].handle;
            pthread_mutex_unlock(&lock);
            return handle;
        }
    }
    cmsHPROFILE handle = lcms_open(memory, size);
    counts.profilesParsed++;
    if (handle != NULL && !disabled && profileCount < MAX_PROFILES && cachedProfileBytes + size <= MAX_CACHED_BYTES) {
        unsigned char *copy = malloc(size);
        if (copy != NULL) {
            memcpy(copy, memory, size);
            profiles[profileCount++] = (cached_profile){size, copy, handle};
            cachedProfileBytes += size;
        }
    }
    pthread_mutex_unlock(&lock);
    return handle;
}

cmsBool cmsCloseProfile(cmsHPROFILE handle) {
    if (!ready()) return 0;
    if (insideLCMS) return lcms_close(handle);
    pthread_mutex_lock(&lock);
    if (is_cached_profile(handle)) {
        // kept for the process: its address stays this content's name
        pthread_mutex_unlock(&lock);
        return 1;
    }
    // A profile we did not open is going away: its address may come back as another profile.
    int i = 0;
    while (i < transformCount) {
        cached_transform *entry = &transforms[i];
        if (entry->input == handle || entry->output == handle) {
            if (entry->holders == 0) {
                lcms_delete(entry->handle);
                remove_transform(i);
                continue;
            }
            entry->retired = 1;
        }
        i++;
    }
    pthread_mutex_unlock(&lock);
    return lcms_close(handle);
}

cmsHTRANSFORM cmsCreateTransform(cmsHPROFILE input, cmsUInt32Number inputFormat, cmsHPROFILE output,
                                 cmsUInt32Number outputFormat, cmsUInt32Number intent, cmsUInt32Number flags) {
    if (!ready()) return NULL;
    if (insideLCMS) return lcms_create(input, inputFormat, output, outputFormat, intent, flags);
    pthread_mutex_lock(&lock);
    counts.transformsRequested++;
    for (int i = 0; i < transformCount && !disabled; i++) {
        cached_transform *entry = &transforms[i];
        if (!entry->retired && entry->input == input && entry->output == output &&
            entry->inputFormat == inputFormat && entry->outputFormat == outputFormat &&
            entry->intent == intent && entry->flags == flags) {
            entry->holders++;
            cmsHTRANSFORM handle = entry->handle;
            pthread_mutex_unlock(&lock);
            return handle;
        }
    }
    // Built with the lock held, so a second reader thread asking for the same transform waits for
    // this one instead of building its own.
    cmsHTRANSFORM handle = lcms_create(input, inputFormat, output, outputFormat, intent, flags);
    counts.transformsBuilt++;
    if (handle != NULL && !disabled && input != NULL && output != NULL && transformCount < MAX_TRANSFORMS) {
        transforms[transformCount++] =
            (cached_transform){input, output, inputFormat, outputFormat, intent, flags, handle, 1, 0};
    }
    pthread_mutex_unlock(&lock);
    return handle;
}

void cmsDeleteTransform(cmsHTRANSFORM handle) {
    if (!ready() || handle == NULL) return;
    if (insideLCMS) {
        lcms_delete(handle);
        return;
    }
    pthread_mutex_lock(&lock);
    int deleteNow = 1; // unless the cache holds it
    for (int i = 0; i < transformCount; i++) {
        cached_transform *entry = &transforms[i];
        if (entry->handle != handle) continue;
        if (entry->holders > 0) entry->holders--;
        // kept for the next page, unless a profile it was made from has closed and this was its last holder
        deleteNow = entry->retired && entry->holders == 0;
        if (deleteNow) remove_transform(i);
        break;
    }
    pthread_mutex_unlock(&lock);
    if (deleteNow) lcms_delete(handle);
}

backoffice_colour_cache_counts backoffice_colour_cache_read_counts(void) {
    pthread_mutex_lock(&lock);
    backoffice_colour_cache_counts now = counts;
    now.transformsCached = 0;
    for (int i = 0; i < transformCount; i++) {
        if (!transforms[i].retired) now.transformsCached++;
    }
    pthread_mutex_unlock(&lock);
    return now;
}

void backoffice_colour_cache_set_enabled(int enabled) {
    pthread_mutex_lock(&lock);
    disabled = !enabled;
    pthread_mutex_unlock(&lock);
}

int backoffice_colour_cache_is_linked(void) {
    void *bound = dlsym(RTLD_DEFAULT, "cmsCreateTransform");
    return bound == (void *)cmsCreateTransform;
}
