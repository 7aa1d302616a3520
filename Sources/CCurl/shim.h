#ifndef BACKOFFICE_CCURL_SHIM_H
#define BACKOFFICE_CCURL_SHIM_H
/*
 * libcurl for the LLM structurer's HTTP, loaded with dlopen the first time it is needed: the
 * binary does not link libcurl, so its ~30 shared libraries (TLS, Kerberos, LDAP, ...) are not
 * loaded and resolved at the start of every command (`menu extract` runs once per menu).
 * Only the declarations of <curl/curl.h> are used; no `link` line in the module map.
 */
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

typedef struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *curl);
    CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *curl);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
    void (*slist_free_all)(struct curl_slist *list);
} backoffice_curl_api;

/* Fills `api` from libcurl.so.4; 0 on success, -1 when the library or a symbol is missing. */
static inline int backoffice_curl_load(backoffice_curl_api *api) {
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) lib = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return -1;
    api->global_init = (CURLcode (*)(long))dlsym(lib, "curl_global_init");
    api->easy_init = (CURL *(*)(void))dlsym(lib, "curl_easy_init");
    api->easy_setopt = (CURLcode (*)(CURL *, CURLoption, ...))dlsym(lib, "curl_easy_setopt");
    api->easy_perform = (CURLcode (*)(CURL *))dlsym(lib, "curl_easy_perform");
    api->easy_getinfo = (CURLcode (*)(CURL *, CURLINFO, ...))dlsym(lib, "curl_easy_getinfo");
    api->easy_cleanup = (void (*)(CURL *))dlsym(lib, "curl_easy_cleanup");
    api->easy_strerror = (const char *(*)(CURLcode))dlsym(lib, "curl_easy_strerror");
    api->slist_append = (struct curl_slist *(*)(struct curl_slist *, const char *))dlsym(lib, "curl_slist_append");
    api->slist_free_all = (void (*)(struct curl_slist *))dlsym(lib, "curl_slist_free_all");
    if (!api->global_init || !api->easy_init || !api->easy_setopt || !api->easy_perform || !api->easy_getinfo
        || !api->easy_cleanup || !api->easy_strerror || !api->slist_append || !api->slist_free_all) return -1;
    return api->global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed door each. */
static inline CURLcode backoffice_curl_set_long(const backoffice_curl_api *api, CURL *c, CURLoption o, long v) {
    return api->easy_setopt(c, o, v);
}
static inline CURLcode backoffice_curl_set_string(const backoffice_curl_api *api, CURL *c, CURLoption o, const char *v) {
    return api->easy_setopt(c, o, v);
}
static inline CURLcode backoffice_curl_set_pointer(const backoffice_curl_api *api, CURL *c, CURLoption o, void *v) {
    return api->easy_setopt(c, o, v);
}
static inline CURLcode backoffice_curl_set_size(const backoffice_curl_api *api, CURL *c, CURLoption o, curl_off_t v) {
    return api->easy_setopt(c, o, v);
}
static inline CURLcode backoffice_curl_set_headers(const backoffice_curl_api *api, CURL *c, struct curl_slist *v) {
    return api->easy_setopt(c, CURLOPT_HTTPHEADER, v);
}
static inline CURLcode backoffice_curl_set_writer(const backoffice_curl_api *api, CURL *c,
                                                  size_t (*writer)(char *, size_t, size_t, void *)) {
    return api->easy_setopt(c, CURLOPT_WRITEFUNCTION, writer);
}
/* Response header lines go to `writer` with CURLOPT_HEADERDATA as its context (for Retry-After). */
static inline CURLcode backoffice_curl_set_header_writer(const backoffice_curl_api *api, CURL *c,
                                                         size_t (*writer)(char *, size_t, size_t, void *)) {
    return api->easy_setopt(c, CURLOPT_HEADERFUNCTION, writer);
}
static inline CURLcode backoffice_curl_status(const backoffice_curl_api *api, CURL *c, long *status) {
    return api->easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
}

#endif
