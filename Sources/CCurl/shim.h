// libcurl for Swift: curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which Swift
// cannot call, so each argument type gets a typed inline wrapper here. `static inline` functions in a
// system-library module are compiled into every Swift module that imports it: no separate C target needed.
//
// libcurl is not linked: it is loaded with dlopen the first time a client initialises it (see
// `curl_global_init` below). Loading libcurl.so.4 brings in its TLS, Kerberos, LDAP and SSH libraries
// and their initialisers, about 6 MB of resident memory, and `curl_global_init` about 2 MB more; an
// idle daemon, or a command that sends nothing, needs none of it. Each libcurl function CurlKit calls
// is declared here as a `static inline` function of the same name that calls through a table filled
// once from the loaded library, so Swift code calls `curl_easy_init()` etc. exactly as before.
#ifndef HERALD_CCURL_SHIM_H
#define HERALD_CCURL_SHIM_H

// curl.h's own declarations of the functions defined below are renamed out of the way.
#define curl_global_init ccurl_decl_global_init
#define curl_easy_init ccurl_decl_easy_init
#define curl_easy_cleanup ccurl_decl_easy_cleanup
#define curl_easy_reset ccurl_decl_easy_reset
#define curl_easy_setopt ccurl_decl_easy_setopt
#define curl_easy_getinfo ccurl_decl_easy_getinfo
#define curl_easy_strerror ccurl_decl_easy_strerror
#define curl_multi_init ccurl_decl_multi_init
#define curl_multi_cleanup ccurl_decl_multi_cleanup
#define curl_multi_setopt ccurl_decl_multi_setopt
#define curl_multi_add_handle ccurl_decl_multi_add_handle
#define curl_multi_remove_handle ccurl_decl_multi_remove_handle
#define curl_multi_perform ccurl_decl_multi_perform
#define curl_multi_poll ccurl_decl_multi_poll
#define curl_multi_wakeup ccurl_decl_multi_wakeup
#define curl_multi_info_read ccurl_decl_multi_info_read
#define curl_multi_strerror ccurl_decl_multi_strerror
#define curl_slist_append ccurl_decl_slist_append
#define curl_slist_free_all ccurl_decl_slist_free_all
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#undef curl_global_init
#undef curl_easy_init
#undef curl_easy_cleanup
#undef curl_easy_reset
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_easy_strerror
#undef curl_multi_init
#undef curl_multi_cleanup
#undef curl_multi_setopt
#undef curl_multi_add_handle
#undef curl_multi_remove_handle
#undef curl_multi_perform
#undef curl_multi_poll
#undef curl_multi_wakeup
#undef curl_multi_info_read
#undef curl_multi_strerror
#undef curl_slist_append
#undef curl_slist_free_all
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stddef.h>

// MARK: - the loaded library

/// The libcurl functions CurlKit uses, resolved from libcurl.so.4.
typedef struct ccurl_api {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    const char *(*multi_strerror)(CURLMcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} ccurl_api;

/// The table, and whether loading worked. It lives in a function-local static: each translation unit
/// that includes this header (each Swift file of CurlKit in a debug build) has its own copy, and each
/// copy loads on first use; dlopen of an already-loaded library returns it, so all resolve the same.
typedef struct ccurl_state {
    pthread_once_t once;
    int loaded;
    char error[256];
    ccurl_api api;
} ccurl_state;

static inline ccurl_state *ccurl_state_get(void) {
    static ccurl_state state = { PTHREAD_ONCE_INIT, 0, { 0 }, { 0 } };
    return &state;
}

static inline void ccurl_load_table(void) {
    ccurl_state *state = ccurl_state_get();
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_GLOBAL);
    if (!lib) {
        const char *why = dlerror();
        snprintf(state->error, sizeof state->error, "%s", why ? why : "cannot load libcurl.so.4");
        return;
    }
    int missing = 0;
#define CCURL_RESOLVE(field, symbol) \
    do { *(void **)&state->api.field = dlsym(lib, symbol); if (!state->api.field) { missing = 1; } } while (0)
    CCURL_RESOLVE(global_init, "curl_global_init");
    CCURL_RESOLVE(easy_init, "curl_easy_init");
    CCURL_RESOLVE(easy_cleanup, "curl_easy_cleanup");
    CCURL_RESOLVE(easy_reset, "curl_easy_reset");
    CCURL_RESOLVE(easy_setopt, "curl_easy_setopt");
    CCURL_RESOLVE(easy_getinfo, "curl_easy_getinfo");
    CCURL_RESOLVE(easy_strerror, "curl_easy_strerror");
    CCURL_RESOLVE(multi_init, "curl_multi_init");
    CCURL_RESOLVE(multi_cleanup, "curl_multi_cleanup");
    CCURL_RESOLVE(multi_setopt, "curl_multi_setopt");
    CCURL_RESOLVE(multi_add_handle, "curl_multi_add_handle");
    CCURL_RESOLVE(multi_remove_handle, "curl_multi_remove_handle");
    CCURL_RESOLVE(multi_perform, "curl_multi_perform");
    CCURL_RESOLVE(multi_poll, "curl_multi_poll");
    CCURL_RESOLVE(multi_wakeup, "curl_multi_wakeup");
    CCURL_RESOLVE(multi_info_read, "curl_multi_info_read");
    CCURL_RESOLVE(multi_strerror, "curl_multi_strerror");
    CCURL_RESOLVE(slist_append, "curl_slist_append");
    CCURL_RESOLVE(slist_free_all, "curl_slist_free_all");
#undef CCURL_RESOLVE
    if (missing) {
        snprintf(state->error, sizeof state->error, "libcurl.so.4 lacks a function Herald needs (libcurl >= 7.68 required)");
        return;
    }
    state->loaded = 1;
}

/// Loads libcurl once; false (with `ccurl_load_error()` saying why) if it cannot be loaded.
static inline int ccurl_load(void) {
    ccurl_state *state = ccurl_state_get();
    pthread_once(&state->once, ccurl_load_table);
    return state->loaded;
}

/// Why `ccurl_load` failed; empty if it did not.
static inline const char *ccurl_load_error(void) {
    (void)ccurl_load();
    return ccurl_state_get()->error;
}

/// The loaded functions. Only valid once `curl_global_init` (or `ccurl_load`) has succeeded, which
/// CurlKit checks before it creates any handle.
static inline const ccurl_api *ccurl_fn(void) {
    (void)ccurl_load();
    return &ccurl_state_get()->api;
}

// MARK: - libcurl's functions, through the table (valid once `curl_global_init` has succeeded)

/// Loads libcurl, then calls its `curl_global_init`; CURLE_FAILED_INIT if it cannot be loaded.
static inline CURLcode curl_global_init(long flags) {
    if (!ccurl_load()) { return CURLE_FAILED_INIT; }
    return ccurl_fn()->global_init(flags);
}
static inline CURL *curl_easy_init(void) { return ccurl_load() ? ccurl_fn()->easy_init() : NULL; }
static inline void curl_easy_cleanup(CURL *h) { ccurl_fn()->easy_cleanup(h); }
static inline void curl_easy_reset(CURL *h) { ccurl_fn()->easy_reset(h); }
static inline const char *curl_easy_strerror(CURLcode c) {
    return ccurl_load() ? ccurl_fn()->easy_strerror(c) : "libcurl is not loaded";
}
static inline CURLM *curl_multi_init(void) { return ccurl_load() ? ccurl_fn()->multi_init() : NULL; }
static inline CURLMcode curl_multi_cleanup(CURLM *m) { return ccurl_fn()->multi_cleanup(m); }
static inline CURLMcode curl_multi_add_handle(CURLM *m, CURL *h) { return ccurl_fn()->multi_add_handle(m, h); }
static inline CURLMcode curl_multi_remove_handle(CURLM *m, CURL *h) { return ccurl_fn()->multi_remove_handle(m, h); }
static inline CURLMcode curl_multi_perform(CURLM *m, int *running) { return ccurl_fn()->multi_perform(m, running); }
static inline CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd *fds, unsigned int n, int timeout_ms, int *ret) {
    return ccurl_fn()->multi_poll(m, fds, n, timeout_ms, ret);
}
static inline CURLMcode curl_multi_wakeup(CURLM *m) { return ccurl_fn()->multi_wakeup(m); }
static inline CURLMsg *curl_multi_info_read(CURLM *m, int *left) { return ccurl_fn()->multi_info_read(m, left); }
static inline const char *curl_multi_strerror(CURLMcode c) {
    return ccurl_load() ? ccurl_fn()->multi_strerror(c) : "libcurl is not loaded";
}
static inline struct curl_slist *curl_slist_append(struct curl_slist *l, const char *s) { return ccurl_fn()->slist_append(l, s); }
static inline void curl_slist_free_all(struct curl_slist *l) { ccurl_fn()->slist_free_all(l); }

// MARK: - easy_setopt

static inline CURLcode ccurl_easy_setopt_long(CURL *h, CURLoption o, long v) { return ccurl_fn()->easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return ccurl_fn()->easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return ccurl_fn()->easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return ccurl_fn()->easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return ccurl_fn()->easy_setopt(h, o, v); }

/// WRITEFUNCTION, HEADERFUNCTION and READFUNCTION all share this shape.
typedef size_t (*ccurl_data_cb)(char *buffer, size_t size, size_t nitems, void *userdata);
static inline CURLcode ccurl_easy_setopt_data_cb(CURL *h, CURLoption o, ccurl_data_cb v) { return ccurl_fn()->easy_setopt(h, o, v); }

// MARK: - easy_getinfo

static inline CURLcode ccurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return ccurl_fn()->easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return ccurl_fn()->easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) {
    // CURLINFO_PRIVATE is declared as char ** by libcurl; a void ** is layout-identical.
    return ccurl_fn()->easy_getinfo(h, i, (char **)v);
}

// MARK: - multi

static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return ccurl_fn()->multi_setopt(m, o, v); }

/// CURLMsg carries a union Swift imports awkwardly; these read the fields the loop needs.
static inline int ccurl_msg_is_done(const CURLMsg *m) { return m->msg == CURLMSG_DONE; }
static inline CURL *ccurl_msg_easy(const CURLMsg *m) { return m->easy_handle; }
static inline CURLcode ccurl_msg_result(const CURLMsg *m) { return m->data.result; }

// MARK: - global init

/// Loads libcurl and initialises it, once per process. First tells OpenSSL (when libcurl uses it) not to
/// register its atexit cleanup: that handler can otherwise run while handles are still alive on another
/// thread and crash at exit (swift-corelibs-foundation #5469 / PR #5474). `dlopen(NULL)` searches the
/// global symbol scope, which holds libcrypto once libcurl (loaded RTLD_GLOBAL) has brought it in; with
/// another TLS backend the symbol is absent and nothing happens. 0x00080000 is OPENSSL_INIT_NO_ATEXIT
/// (OpenSSL >= 1.1.1).
static inline CURLcode ccurl_global_init_once(void) {
    if (!ccurl_load()) { return CURLE_FAILED_INIT; }
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
