/* fuzz_rules.c: libFuzzer harness for the routing classifier.
 * Input: NUL-separated strings (method, uri, user-agent, authorization, action, request type,
 * rsv) then flag bytes.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <string.h>
#include "ewsflow-rules.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    wmem_allocator_t *a = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    char *buf = wmem_alloc0(a, size + 1);
    memcpy(buf, data, size);
    const char *f[7] = { NULL };
    size_t pos = 0;
    for (int i = 0; i < 7 && pos < size; i++) {
        f[i] = buf + pos;
        pos += strlen(buf + pos) + 1;
    }
    guint8 flags = pos < size ? (guint8)buf[pos] : 0;
    ewsflow_signals_t s;
    memset(&s, 0, sizeof(s));
    s.method = f[0]; s.uri = f[1]; s.user_agent = f[2]; s.authorization = f[3]; s.action = f[4];
    s.request_type = f[5]; s.rsv = f[6];
    s.owa_headers = flags & 1; s.cafe_headers = flags & 2; s.have_soap = flags & 4; s.ssc = flags & 8;
    s.sharing_security = flags & 16; s.wsse = flags & 32; s.impersonation = flags & 64;
    s.server_port = (flags & 128) ? 444 : 443;
    ewsflow_verdict_t v;
    if (ewsflow_is_exchange_request(&s))
        ewsflow_classify(a, &s, &v);
    wmem_destroy_allocator(a);
    return 0;
}
