#ifndef BACKOFFICE_CPOPPLER_SHIM_H
#define BACKOFFICE_CPOPPLER_SHIM_H
#include <poppler.h>
#include <cairo.h>

/* GLib's g_object_unref takes a gpointer; Swift sees Poppler objects as OpaquePointer. */
static inline void backoffice_unref(void *object) { if (object) g_object_unref(object); }

#endif
