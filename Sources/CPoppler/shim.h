#ifndef BACKOFFICE_CPOPPLER_SHIM_H
#define BACKOFFICE_CPOPPLER_SHIM_H
#include <poppler.h>
#include <cairo.h>
#endif
