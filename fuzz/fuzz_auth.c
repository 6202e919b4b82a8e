/* fuzz_auth.c: libFuzzer harness for Bearer JWT, WWW-Authenticate and x-ms-diagnostics decoding,
 * and the account of Basic/NTLM credentials (the input as is, and as an NTLM message in base64).
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include "ewsflow-auth.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    wmem_allocator_t *a = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    char *s = wmem_strndup(a, (const char *)data, size);
    ewsflow_jwt_t j;
    if (ewsflow_jwt_decode(a, s, &j))
        (void)ewsflow_jwt_is_s2s(&j);
    ewsflow_pair_t p[16];
    const char *lead;
    (void)ewsflow_auth_params(a, s, ',', &lead, p, 16);
    (void)ewsflow_auth_params(a, s, ';', &lead, p, 16);
    (void)ewsflow_auth_account(a, s);
    gchar *b64 = g_base64_encode(data, size);
    (void)ewsflow_auth_account(a, wmem_strdup_printf(a, "NTLM %s", b64));
    (void)ewsflow_auth_account(a, wmem_strdup_printf(a, "Basic %s", b64));
    g_free(b64);
    wmem_destroy_allocator(a);
    return 0;
}
