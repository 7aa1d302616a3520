#ifndef BACKOFFICE_CPOPPLER_SHIM_H
#define BACKOFFICE_CPOPPLER_SHIM_H
#include <poppler.h>
#include <cairo.h>
#include <dlfcn.h>

/* Poppler reports syntax errors in damaged files with fprintf(stderr, ...) unless an error
 * callback is installed, and poppler-glib has no C API for that. The C++ function
 * `void setErrorCallback(void (*)(ErrorCategory, Goffset, const char *))` (poppler >= 21) is
 * looked up by its mangled name at run time, so an older or newer poppler without it only means
 * the messages stay on stderr; nothing fails to link. Returns 1 when the callback was installed. */
typedef void (*backoffice_poppler_error_cb)(int category, long long position, const char *message);

static void backoffice_poppler_ignore_error(int category, long long position, const char *message) {
    (void)category; (void)position; (void)message;
}

static inline int backoffice_poppler_silence_errors(void) {
    void (*set)(backoffice_poppler_error_cb) =
        (void (*)(backoffice_poppler_error_cb))dlsym(RTLD_DEFAULT, "_Z16setErrorCallbackPFv13ErrorCategoryxPKcE");
    if (set == NULL) return 0;
    set(backoffice_poppler_ignore_error);
    return 1;
}

/* GLib's g_object_unref takes gpointer; Swift sees Poppler objects as OpaquePointer. */
static inline void backoffice_unref(void *object) { if (object) g_object_unref(object); }

#endif
