// libcurl for Swift: curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which Swift
// cannot call, so each argument type gets a typed inline wrapper here. `static inline` functions in a
// system-library module are compiled into every Swift module that imports it: no separate C target needed.
#ifndef HERALD_CCURL_SHIM_H
#define HERALD_CCURL_SHIM_H
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stddef.h>

// MARK: - easy_setopt

static inline CURLcode ccurl_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }

/// WRITEFUNCTION, HEADERFUNCTION and READFUNCTION all share this shape.
typedef size_t (*ccurl_data_cb)(char *buffer, size_t size, size_t nitems, void *userdata);
static inline CURLcode ccurl_easy_setopt_data_cb(CURL *h, CURLoption o, ccurl_data_cb v) { return curl_easy_setopt(h, o, v); }

// MARK: - easy_getinfo

static inline CURLcode ccurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) {
    // CURLINFO_PRIVATE is declared as char ** by libcurl; a void ** is layout-identical.
    return curl_easy_getinfo(h, i, (char **)v);
}

// MARK: - multi

static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }

/// CURLMsg carries a union Swift imports awkwardly; these read the fields the loop needs.
static inline int ccurl_msg_is_done(const CURLMsg *m) { return m->msg == CURLMSG_DONE; }
static inline CURL *ccurl_msg_easy(const CURLMsg *m) { return m->easy_handle; }
static inline CURLcode ccurl_msg_result(const CURLMsg *m) { return m->data.result; }

// MARK: - global init

/// Initialise libcurl once per process. First tells OpenSSL (when libcurl uses it) not to register its
/// atexit cleanup: that handler can otherwise run while handles are still alive on another thread and
/// crash at exit (swift-corelibs-foundation #5469 / PR #5474). `dlopen(NULL)` searches the global symbol
/// scope, which holds libcrypto when libcurl links it; with another TLS backend the symbol is absent
/// and nothing happens. 0x00080000 is OPENSSL_INIT_NO_ATEXIT (OpenSSL >= 1.1.1).
static inline CURLcode ccurl_global_init_once(void) {
    void *self = dlopen(NULL, RTLD_NOW);
    if (self) {
        typedef int (*ccurl_openssl_init_fn)(uint64_t, const void *);
        ccurl_openssl_init_fn init = (ccurl_openssl_init_fn)dlsym(self, "OPENSSL_init_crypto");
        if (init) { (void)init(0x00080000ULL, NULL); }
        dlclose(self);
    }
    return curl_global_init(CURL_GLOBAL_ALL);
}

/// CURL_ERROR_SIZE as a plain size_t (the macro imports as Int32).
static inline size_t ccurl_error_size(void) { return CURL_ERROR_SIZE; }

#endif
