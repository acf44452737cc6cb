// What the process needs from the C library that Node does not offer: giving freed heap memory
// back to the system. glibc keeps what a burst freed (TLS buffers of thousands of connections,
// interleaved with live allocations) as free pages inside its heap; malloc_trim(0) returns every
// whole free page to the kernel. Go's runtime does the same for kube-apiserver on its own.
#include <node_api.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

// trim() -> boolean: whether any memory went back; false where the C library cannot trim.
static napi_value trim(napi_env env, napi_callback_info info) {
  (void)info;
  int released = 0;
#if defined(__GLIBC__)
  released = malloc_trim(0);
#endif
  napi_value result;
  napi_get_boolean(env, released != 0, &result);
  return result;
}

// freeBytes() -> number: bytes the C heap holds free (glibc's mallinfo2 fordblks), -1 where unknown.
static napi_value free_bytes(napi_env env, napi_callback_info info) {
  (void)info;
  double bytes = -1;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 heap = mallinfo2();
  bytes = (double)heap.fordblks;
#endif
  napi_value result;
  napi_create_double(env, bytes, &result);
  return result;
}

static int export_function(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn) != napi_ok) return 0;
  return napi_set_named_property(env, exports, name, fn) == napi_ok;
}

NAPI_MODULE_INIT() {
  if (!export_function(env, exports, "trim", trim) || !export_function(env, exports, "freeBytes", free_bytes)) return NULL;
  return exports;
}
