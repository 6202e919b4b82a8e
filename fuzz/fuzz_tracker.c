/* fuzz_tracker.c: libFuzzer harness for the flow tracker.
 * Input: a sequence of events, three bytes each: the event, the connection (0-7) and an
 * argument (mailboxes, status, path flavour, byte count). Whatever the order — responses
 * before requests, resets of unknown connections, hops before lookups — the tracker must
 * neither crash nor keep more than its bounds allow.
 * SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include "ewsflow-tracker.h"
#include "fuzz-common.h"

static const char *const MBX[] = { "y1@fabrikam.com", "y2@fabrikam.com", "Y1@FABRIKAM.COM", "" };
static const char *const UA[] = { "Microsoft Office/16.0", "ASProxy/CrossForest/EmailDomain//https", "ASProxy/CrossSite/Directory/EXCH",
                                  "axios/1.6.0" };
static const char *const URI[] = { "/EWS/Exchange.asmx", "/EWS/Exchange.asmx/WSSecurity", "/owa/service.svc?action=GetUserAvailabilityInternal",
                                   "/autodiscover/autodiscover.xml" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    wmem_allocator_t *a = wmem_allocator_new(WMEM_ALLOCATOR_SIMPLE);
    const ewsflow_limits_t lim = { 4, 200, 16 };
    ewsflow_tracker_t *tr = ewsflow_tracker_new(a, &lim);
    ews_msg_info_t *last_body[8] = { NULL };
    guint32 frame = 1;
    guint started = 0;
    for (size_t i = 0; i + 3 <= size && frame < 3000; i += 3, frame++) {
        guint8 ev = data[i] % 10, conn = data[i + 1] % 8, arg = data[i + 2];
        nstime_t ts = { (time_t)(frame / 100), (int)(frame % 100) * 10000000 };
        ewsflow_frame_t fr;
        memset(&fr, 0, sizeof(fr));
        ewsflow_tracker_conn(tr, conn, TRUE, &fr);
        switch (ev) {
        case 0: case 1: case 2: {   /* a request: complete or first bytes, HTTP/1 or HTTP/2, with or without a body */
            ews_http_request_t *h = wmem_new0(a, ews_http_request_t);
            h->method = "POST";
            h->uri = URI[arg & 3];
            h->host = "mail.fabrikam.com";
            h->user_agent = UA[(arg >> 2) & 3];
            h->client_request_id = (arg & 16) ? "crid" : NULL;
            h->anchor = (arg & 32) ? MBX[arg & 3] : NULL;
            ews_msg_info_t *b = NULL;
            if (ev != 2) {
                b = wmem_new0(a, ews_msg_info_t);
                ews_txn_t *t = wmem_new0(a, ews_txn_t);
                t->n_mailboxes = 1 + (arg & 1);
                t->mailboxes = (const char **)&MBX[(arg >> 1) & 2];
                t->req_frame = frame;
                b->txn = t;
                b->is_request = TRUE;
                b->operation = "GetUserAvailability";
                b->wsse = arg & 64;
                b->sharing_security = arg & 128;
                b->request_type = (arg & 8) ? "CrossForest" : NULL;
                b->message_id = (arg & 4) ? "urn:uuid:1" : NULL;
                last_body[conn] = b;
            }
            if (ewsflow_tracker_request(tr, &fr, frame, &ts, 80, (arg & 2) ? h : NULL, b, ev != 1))
                started++;
            break;
        }
        case 3: case 4: {   /* a response, HTTP/1 or paired, with the connection's last body's answer */
            ews_msg_info_t *r = NULL;
            if (last_body[conn]) {
                r = wmem_new0(a, ews_msg_info_t);
                r->txn = last_body[conn]->txn;
                r->n_results = arg % 3;
                r->results = wmem_alloc0_array(a, ews_mailbox_result_t, 3);
                for (guint k = 0; k < r->n_results; k++) {
                    r->results[k].cls = (arg & 8) ? "Error" : "Success";
                    r->results[k].code = (arg & 8) ? "ErrorProxyRequestProcessingFailed" : "NoError";
                    r->results[k].backoff_ms = (arg & 16) ? 1000 : 0;
                    r->results[k].inner = "forcibly closed";
                }
                r->is_fault = arg & 32;
                r->fault_backoff_ms = (arg & 64) ? 5 : 0;
            }
            if (ev == 3)
                ewsflow_tracker_response(tr, &fr, frame, &ts, 100 + (arg % 5) * 100, (arg & 1) ? "2000003;reason=\"x\"" : NULL, r);
            else if (r)
                ewsflow_tracker_response_paired(tr, &fr, frame, &ts, r);
            if (r)
                ewsflow_tracker_explain(tr, &fr, frame, r);
            break;
        }
        case 5: ewsflow_tracker_reset(tr, &fr, frame, &ts, (arg & 1) ? 80 : 50000); break;
        case 6: ewsflow_tracker_fin(tr, &fr, frame, &ts, (arg & 1) ? 80 : 50000); break;
        case 7: ewsflow_tracker_bytes(tr, &fr, (arg & 1) ? 80 : 50000, arg * 100u); break;
        case 8: {   /* a TLS segment seen without keys, from either side */
            static const guint32 lens[] = { 19, 282, 494, 2000 };
            ewsflow_tls_segment_t seg = { .client_hello = (arg & 3) == 0, .server_hello = (arg & 3) == 1, .certificate = arg & 4,
                                          .ccs = arg & 8, .opaque_records = (arg >> 4) & 3, .plain_app_records = (arg >> 6) & 1,
                                          .len = arg * 10u, .rec_len = (arg & 32) ? lens : NULL, .n_rec_len = (arg >> 4) & 3,
                                          .sni = (arg & 1) ? "mail.fabrikam.com" : NULL, .src_addr = "10.0.0.10", .dst_addr = "10.0.0.20",
                                          .version = (arg & 2) ? 0x0304 : 0x0303, .alert = (arg & 0x80) ? (int)(arg % 120) : -1 };
            ewsflow_tracker_tls(tr, &fr, frame, &ts, (arg & 1) ? 443 : 50000, &seg);
            break;
        }
        default: {
            const char *urls[] = { "https://mail.fabrikam.com/EWS/Exchange.asmx", "mail.fabrikam.com", "https://x/" };
            ewsflow_tracker_autodiscover(tr, frame, arg & 1, urls, 1 + arg % 3);
            break;
        }
        }
        /* never more outstanding than the bound */
        if (fr.conn && wmem_list_count(fr.conn->pending) > lim.max_pending)
            abort();
    }
    if (started > lim.max_requests + 1000)
        abort();
    ewsflow_tracker_free(tr);
    wmem_destroy_allocator(a);
    return 0;
}
