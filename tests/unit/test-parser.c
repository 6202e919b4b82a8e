/* test-parser.c
 * Unit tests of the epan-free parsing code: the SOAP parser and its schema table,
 * the MessageText chain splitter and MergedFreeBusy decoding.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <wsutil/wmem/wmem.h>

#include "ews-soap-parse.h"
#include "ews-errchain.h"
#include "ews-mergedfb.h"
#include "ews-owa-json.h"

#include "check.h"

static const char M[] = "http://schemas.microsoft.com/exchange/services/2006/messages";
static const char T[] = "http://schemas.microsoft.com/exchange/services/2006/types";

static const char CLIENT_REQ[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
    "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
    "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">"
    "<soap:Header><t:RequestServerVersion Version=\"Exchange2010_SP1\"/></soap:Header>"
    "<soap:Body><m:GetUserAvailabilityRequest>"
    "<m:MailboxDataArray>"
    "<t:MailboxData><t:Email><t:Address>a@contoso.com</t:Address></t:Email><t:AttendeeType>Required</t:AttendeeType></t:MailboxData>"
    "<t:MailboxData><t:Email><t:Name>B &amp; Co</t:Name><t:Address> b@contoso.com </t:Address></t:Email>"
    "<t:AttendeeType>Room</t:AttendeeType><t:ExcludeConflicts>true</t:ExcludeConflicts><t:Unknown><t:Address>skip@x</t:Address></t:Unknown></t:MailboxData>"
    "</m:MailboxDataArray>"
    "<t:FreeBusyViewOptions><t:TimeWindow><t:StartTime>2026-11-25T00:00:00</t:StartTime><t:EndTime>2026-11-26T00:00:00</t:EndTime></t:TimeWindow>"
    "<t:RequestedView>FreeBusy  Merged</t:RequestedView></t:FreeBusyViewOptions>"
    "</m:GetUserAvailabilityRequest></soap:Body></soap:Envelope>";

static const ews_node_t *
request_of(const ews_doc_t *doc)
{
    const ews_node_t *env = ews_node_child(&doc->root, EK_ENVELOPE);
    return ews_node_child(ews_node_child(env, EK_BODY), EK_GUA_REQUEST);
}

static void
parse(wmem_allocator_t *a, const char *buf, gsize len, const char *charset, ews_doc_t *doc)
{
    ews_parse_limits_t lim = { 100000, 1024 * 1024, 0, 64 };
    ews_soap_parse(a, (const guint8 *)buf, len, charset, &lim, doc);
}

static void
test_client_request(wmem_allocator_t *a)
{
    current = "client request";
    ews_doc_t doc;
    parse(a, CLIENT_REQ, strlen(CLIENT_REQ), "utf-8", &doc);
    CHECK(doc.well_formed);
    CHECK(doc.error == NULL);
    const ews_node_t *req = request_of(&doc);
    CHECK(req != NULL);
    const ews_node_t *arr = ews_node_child(req, EK_MAILBOX_DATA_ARRAY);
    CHECK(ews_node_count(arr, EK_MAILBOX_DATA) == 2);
    const ews_node_t *second = arr->first->next;
    CHECK_STR(ews_node_find_value(second, EK_EMAIL_ADDRESS), "b@contoso.com");  /* trimmed */
    CHECK_STR(ews_node_find_value(second, EK_EMAIL_NAME), "B & Co");           /* predefined entity */
    CHECK_STR(ews_node_find_value(second, EK_EXCLUDE_CONFLICTS), "true");
    CHECK_STR(ews_node_find_value(&doc.root, EK_RSV_VERSION), "Exchange2010_SP1");
    /* an unknown element's children are not picked up */
    int addrs = 0;
    for (const ews_node_t *m = arr->first; m; m = m->next)
        addrs += ews_node_find(m, EK_EMAIL_ADDRESS) != NULL;
    CHECK(addrs == 2);
    /* xs:list: two tokens, two items */
    const ews_node_t *opts = ews_node_child(req, EK_FB_VIEW_OPTIONS);
    CHECK(ews_node_count(opts, EK_REQUESTED_VIEW) == 2);
    /* byte ranges point at the element in the body */
    const ews_node_t *addr = ews_node_find(arr->first, EK_EMAIL_ADDRESS);
    CHECK(addr->start >= 0 && addr->end > addr->start);
    CHECK(strncmp(CLIENT_REQ + addr->start, "<t:Address>a@contoso.com</t:Address>", (gsize)(addr->end - addr->start)) == 0);
}

static void
test_prefix_variants(wmem_allocator_t *a)
{
    current = "prefixes and namespaces";
    /* default namespaces, SOAP 1.2, https:// spelling of the EWS namespaces as in the docs */
    char *body = g_strdup_printf(
        "<Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Body>"
        "<GetUserAvailabilityRequest xmlns=\"https://schemas.microsoft.com/exchange/services/2006/messages\">"
        "<MailboxDataArray><MailboxData xmlns=\"%s\"><Email><Address>x@y</Address></Email></MailboxData></MailboxDataArray>"
        "</GetUserAvailabilityRequest></Body></Envelope>", T);
    ews_doc_t doc;
    parse(a, body, strlen(body), NULL, &doc);
    const ews_node_t *env = ews_node_child(&doc.root, EK_ENVELOPE);
    CHECK(env && env->ns == EWS_NS_SOAP12);
    CHECK_STR(ews_node_find_value(&doc.root, EK_EMAIL_ADDRESS), "x@y");
    g_free(body);

    /* wrong namespace on the Envelope: not SOAP, nothing decoded */
    const char *notsoap = "<Envelope xmlns=\"urn:other\"><Body/></Envelope>";
    parse(a, notsoap, strlen(notsoap), NULL, &doc);
    CHECK(doc.root.first == NULL);

    /* headers of a proxy hop: RequestTypeHeader in any namespace, SSC in messages, wsse token kind */
    char *hop = g_strdup_printf(
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:exm=\"%s\" xmlns:ext=\"%s\"><s:Header>"
        "<RequestTypeHeader xmlns=\"urn:whatever\"><RequestType xmlns=\"%s\">CrossForest</RequestType></RequestTypeHeader>"
        "<SerializedSecurityContext xmlns=\"%s\"><UserSid>S-1-5-21-1</UserSid><GroupSids><GroupIdentifier Attributes=\"7\">"
        "<SecurityIdentifier xmlns=\"%s\">S-1-5-21-513</SecurityIdentifier></GroupIdentifier></GroupSids></SerializedSecurityContext>"
        "<o:Security xmlns:o=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd\">"
        "<de:EncryptedData xmlns:de=\"http://www.w3.org/2001/04/xmlenc#\"/></o:Security>"
        "<ext:SharingSecurity><de:EncryptedData xmlns:de=\"http://www.w3.org/2001/04/xmlenc#\" Type=\"x\"/></ext:SharingSecurity>"
        "</s:Header><s:Body/></s:Envelope>", M, T, T, M, T);
    parse(a, hop, strlen(hop), NULL, &doc);
    CHECK_STR(ews_node_find_value(&doc.root, EK_REQUEST_TYPE), "CrossForest");
    const ews_node_t *ssc = ews_node_find(&doc.root, EK_SSC);
    CHECK(ssc && ssc->ns == EWS_NS_MESSAGES);
    CHECK_STR(ews_node_find_value(ssc, EK_SSC_SID), "S-1-5-21-513");
    CHECK_STR(ews_node_find_value(ssc, EK_SSC_GROUP_ATTRS), "7");
    CHECK_STR(ews_node_find_value(&doc.root, EK_WSSE_TOKEN), "EncryptedData");
    CHECK(ews_node_find(&doc.root, EK_SHARING_SECURITY) != NULL);
    CHECK_STR(ews_node_find_value(&doc.root, EK_ENCRYPTED_DATA_TYPE), "x");
    g_free(hop);
}

static void
test_truncated(wmem_allocator_t *a)
{
    current = "truncated";
    gsize cut = (gsize)(strstr(CLIENT_REQ, "b@contoso") - CLIENT_REQ) + 3;
    ews_doc_t doc;
    parse(a, CLIENT_REQ, cut, NULL, &doc);
    CHECK(!doc.well_formed);
    CHECK(doc.error != NULL);
    const ews_node_t *arr = ews_node_child(request_of(&doc), EK_MAILBOX_DATA_ARRAY);
    CHECK(ews_node_count(arr, EK_MAILBOX_DATA) == 2);          /* what came before is kept */
    CHECK_STR(ews_node_find_value(arr->first, EK_EMAIL_ADDRESS), "a@contoso.com");
    CHECK_STR(ews_node_find_value(arr->first->next, EK_EMAIL_ADDRESS), "b@c");

    /* every prefix of the body: never a crash, never an error without a message */
    for (gsize n = 0; n < strlen(CLIENT_REQ); n += 7) {
        parse(a, CLIENT_REQ, n, NULL, &doc);
        CHECK(doc.well_formed || doc.error != NULL);
    }
}

static void
test_entities(wmem_allocator_t *a)
{
    current = "entities";
    GString *bomb = g_string_new("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"xxxxxxxxxx\">");
    for (int i = 1; i < 10; i++) {
        g_string_append_printf(bomb, "<!ENTITY %c \"", 'a' + i);
        for (int k = 0; k < 10; k++)
            g_string_append_printf(bomb, "&%c;", 'a' + i - 1);
        g_string_append(bomb, "\">");
    }
    g_string_append(bomb, "]>");
    const char *env = strstr(CLIENT_REQ, "<soap:Envelope");
    GString *b2 = g_string_new(bomb->str);
    g_string_append(b2, env);
    char *p = strstr(b2->str, "a@contoso.com");
    g_string_erase(b2, p - b2->str, strlen("a@contoso.com"));
    g_string_insert(b2, p - b2->str, "&j;");
    ews_doc_t doc;
    gint64 t0 = g_get_monotonic_time();
    parse(a, b2->str, b2->len, NULL, &doc);
    gint64 dt = g_get_monotonic_time() - t0;
    CHECK(doc.doctype);
    /* the reference stays as written and the rest of the body still decodes */
    CHECK(doc.well_formed);
    CHECK_STR(ews_node_find_value(&doc.root, EK_EMAIL_ADDRESS), "&j;");   /* nothing expanded */
    CHECK(doc.n_literal_entities == 1);
    CHECK_STR(doc.literal_entity, "&j;");
    CHECK(ews_node_count(ews_node_child(request_of(&doc), EK_MAILBOX_DATA_ARRAY), EK_MAILBOX_DATA) == 2);
    CHECK(dt < 2 * G_USEC_PER_SEC);                             /* a generous sanity bound, not a timing test */
    g_string_free(bomb, TRUE);
    g_string_free(b2, TRUE);

    /* regression (found by fuzz_soap): the same bomb with an HTTP charset leaked a libxml2 document */
    ews_parse_limits_t lim = { 100000, 1024 * 1024, 0, 64 };
    GString *b3 = g_string_new("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>");
    g_string_append(b3, env);
    ews_soap_parse(a, (const guint8 *)b3->str, b3->len, "utf-8", &lim, &doc);
    CHECK(doc.doctype);
    g_string_free(b3, TRUE);

    const char *xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>&x;</soap:Body></soap:Envelope>";
    parse(a, xxe, strlen(xxe), NULL, &doc);
    CHECK(doc.doctype);
    CHECK(doc.n_literal_entities == 1);   /* never fetched: kept as "&x;" */

    /* a reference in an attribute value, and one with no DOCTYPE at all */
    const char *attr = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                       "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><soap:Header>"
                       "<t:RequestServerVersion Version=\"&v;\"/></soap:Header><soap:Body>&nope;</soap:Body></soap:Envelope>";
    parse(a, attr, strlen(attr), NULL, &doc);
    CHECK_STR(ews_node_find_value(&doc.root, EK_RSV_VERSION), "&v;");
    CHECK(doc.n_literal_entities == 2);
    CHECK(!doc.doctype);

    const char *ext = "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://203.0.113.9/x.dtd\"><r/>";
    parse(a, ext, strlen(ext), NULL, &doc);
    CHECK(doc.doctype);
}

static void
test_limits(wmem_allocator_t *a)
{
    current = "limits";
    GString *deep = g_string_new("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>");
    for (int i = 0; i < 10000; i++)
        g_string_append(deep, "<x>");
    for (int i = 0; i < 10000; i++)
        g_string_append(deep, "</x>");
    g_string_append(deep, "</soap:Body></soap:Envelope>");
    ews_doc_t doc;
    parse(a, deep->str, deep->len, NULL, &doc);
    CHECK(!doc.well_formed);
    CHECK(doc.error != NULL);
    g_string_free(deep, TRUE);

    /* the depth preference stops the parse early, with its own message */
    ews_parse_limits_t shallow = { 1000, 1024, 5, 64 };
    ews_soap_parse(a, (const guint8 *)CLIENT_REQ, strlen(CLIENT_REQ), NULL, &shallow, &doc);
    CHECK(doc.depth_limit_hit && doc.error && strstr(doc.error, "deeper than 5"));
    ews_parse_limits_t lim = { 10, 4, 0, 64 };
    ews_soap_parse(a, (const guint8 *)CLIENT_REQ, strlen(CLIENT_REQ), NULL, &lim, &doc);
    CHECK(doc.node_limit_hit);
    CHECK(doc.n_nodes == 10);
    ews_parse_limits_t lim2 = { 1000, 4, 0, 64 };
    ews_soap_parse(a, (const guint8 *)CLIENT_REQ, strlen(CLIENT_REQ), NULL, &lim2, &doc);
    CHECK(doc.value_truncated);
    CHECK_STR(ews_node_find_value(&doc.root, EK_EMAIL_ADDRESS), "a@co");

    parse(a, "", 0, NULL, &doc);
    CHECK(doc.error != NULL);
}

/* A start tag over the attribute bound ends the parse before it, whatever libxml2 would do;
 * '=' inside quotes, comments, CDATA and declarations is not an attribute. */
static void
test_attribute_bound(wmem_allocator_t *a)
{
    current = "attribute bound";
    ews_parse_limits_t lim = { 100000, 1024 * 1024, 0, 8 };
    ews_doc_t doc;
    const char *end = strstr(CLIENT_REQ, "<t:MailboxData><t:Email><t:Name>");
    GString *b = g_string_new_len(CLIENT_REQ, end - CLIENT_REQ);
    g_string_append(b, "<t:MailboxData");
    for (int i = 0; i < 100000; i++)
        g_string_append_printf(b, " a%d=\"1\"", i);
    g_string_append(b, end + strlen("<t:MailboxData"));
    gint64 t0 = g_get_monotonic_time();
    ews_soap_parse(a, (const guint8 *)b->str, b->len, NULL, &lim, &doc);
    gint64 dt = g_get_monotonic_time() - t0;
    CHECK(doc.attr_limit_hit);
    CHECK(!doc.well_formed);
    CHECK(doc.error_offset == (gint32)(end - CLIENT_REQ));
    /* the first mailbox, before the tag, is decoded */
    CHECK(ews_node_count(ews_node_child(request_of(&doc), EK_MAILBOX_DATA_ARRAY), EK_MAILBOX_DATA) == 1);
    CHECK(dt < 2 * G_USEC_PER_SEC);   /* a generous sanity bound, not a timing test */
    g_string_free(b, TRUE);

    /* at the bound: decoded whole; '=' and '>' in quotes, comments, CDATA, a DOCTYPE and a PI do not count */
    const char *ok = "<?xml version=\"1.0\" encoding=\"utf-8\"?><?pi a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9?>"
                     "<!DOCTYPE r [<!ATTLIST x a CDATA \"1\" b CDATA \"2\">]><!-- a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9 -->"
                     "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                     "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" a=\"x=y>z\" b='=' c=\"\" d=\"\" "
                     "e=\"\" f=\"\"><soap:Header><t:RequestServerVersion Version=\"Exchange2013\"/></soap:Header>"
                     "<soap:Body><![CDATA[ a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9 ]]></soap:Body></soap:Envelope>";
    ews_soap_parse(a, (const guint8 *)ok, strlen(ok), NULL, &lim, &doc);
    CHECK(!doc.attr_limit_hit);
    CHECK(doc.well_formed);
    CHECK_STR(ews_node_find_value(&doc.root, EK_RSV_VERSION), "Exchange2013");

    /* the very first tag over the bound: nothing to decode, no parse at all */
    const char *first = "<r a=\"1\" b=\"1\" c=\"1\" d=\"1\" e=\"1\" f=\"1\" g=\"1\" h=\"1\" i=\"1\"/>";
    ews_soap_parse(a, (const guint8 *)first, strlen(first), NULL, &lim, &doc);
    CHECK(doc.attr_limit_hit && doc.root.first == NULL && doc.error);
}

/* Results that are not a mailbox's get kinds of their own; a namespace-less operation element
 * (the SDK samples) decodes; FreeBusyViewType stays one item. */
static void
test_result_kinds(wmem_allocator_t *a)
{
    current = "result kinds";
    const char *rsp =
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
        "<GetUserAvailabilityResponse><FreeBusyResponseArray xmlns=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
        "<FreeBusyResponse><ResponseMessage ResponseClass=\"Success\"><Path select=\"x\"/></ResponseMessage>"
        "<FreeBusyView><FreeBusyViewType xmlns=\"http://schemas.microsoft.com/exchange/services/2006/types\">FreeBusy Merged</FreeBusyViewType>"
        "</FreeBusyView></FreeBusyResponse></FreeBusyResponseArray>"
        "<SuggestionsResponse xmlns=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
        "<ResponseMessage ResponseClass=\"Success\"><ResponseCode>NoError</ResponseCode></ResponseMessage></SuggestionsResponse>"
        "</GetUserAvailabilityResponse></soap:Body></soap:Envelope>";
    ews_doc_t doc;
    parse(a, rsp, strlen(rsp), NULL, &doc);
    const ews_node_t *env = ews_node_child(&doc.root, EK_ENVELOPE);
    const ews_node_t *op = ews_node_child(ews_node_child(env, EK_BODY), EK_GUA_RESPONSE);
    CHECK(op != NULL);
    CHECK(ews_node_find(op, EK_RESPONSE_CODE) == NULL);            /* the mailbox's answer has none */
    CHECK_STR(ews_node_find_value(op, EK_SUGG_RESULT_CODE), "NoError");
    CHECK_STR(ews_node_find_value(op, EK_SUGG_RESULT_CLASS), "Success");
    const ews_node_t *view = ews_node_find(op, EK_FB_VIEW);
    CHECK(ews_node_count(view, EK_FB_VIEW_TYPE) == 1);
    CHECK_STR(ews_node_find_value(view, EK_FB_VIEW_TYPE), "FreeBusy Merged");
}

static void
test_charsets(wmem_allocator_t *a)
{
    current = "charsets";
    /* UTF-16LE with BOM */
    glong n16 = 0;
    gunichar2 *u16 = g_utf8_to_utf16(CLIENT_REQ, -1, NULL, &n16, NULL);
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, (const guint8 *)"\xff\xfe", 2);
    for (glong i = 0; i < n16; i++) {
        guint8 le[2] = { (guint8)(u16[i] & 0xff), (guint8)(u16[i] >> 8) };
        g_byte_array_append(b, le, 2);
    }
    ews_doc_t doc;
    ews_parse_limits_t lim = { 100000, 1024 * 1024, 0, 64 };
    /* the declaration says utf-8 while the bytes are UTF-16: libxml2 follows the BOM */
    ews_soap_parse(a, b->data, b->len, "utf-16", &lim, &doc);
    CHECK(ews_node_count(ews_node_child(request_of(&doc), EK_MAILBOX_DATA_ARRAY), EK_MAILBOX_DATA) == 2);
    const ews_node_t *addr = ews_node_find(&doc.root, EK_EMAIL_ADDRESS);
    CHECK(addr && addr->start == -1);                 /* no byte ranges through a converter */
    g_byte_array_free(b, TRUE);
    g_free(u16);

    /* ISO-8859-1 named by HTTP only */
    const char *latin = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                        "<m:GetUserAvailabilityRequest xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
                        "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><m:MailboxDataArray><t:MailboxData><t:Email>"
                        "<t:Name>J\xf6rg</t:Name><t:Address>j@x</t:Address></t:Email></t:MailboxData></m:MailboxDataArray>"
                        "</m:GetUserAvailabilityRequest></soap:Body></soap:Envelope>";
    ews_soap_parse(a, (const guint8 *)latin, strlen(latin), "iso-8859-1", &lim, &doc);
    CHECK_STR(ews_node_find_value(&doc.root, EK_EMAIL_NAME), "J\xc3\xb6rg");

    ews_soap_parse(a, (const guint8 *)CLIENT_REQ, strlen(CLIENT_REQ), "x-klingon", &lim, &doc);
    CHECK(doc.bad_charset);
    CHECK_STR(ews_node_find_value(&doc.root, EK_EMAIL_ADDRESS), "a@contoso.com");
}

static void
test_errchain(wmem_allocator_t *a)
{
    current = "error chain";
    ews_errchain_t ch;
    ews_errchain_split(a,
        "Proxy web request failed. , inner exception: System.Net.WebException: The underlying connection was closed: "
        "An unexpected error occurred on a receive. ---> System.IO.IOException: Unable to read data from the transport "
        "connection: An existing connection was forcibly closed by the remote host. ---> System.Net.Sockets.SocketException: "
        "An existing connection was forcibly closed by the remote host\r\n   at System.Net.Sockets.Socket.Receive()", 16, &ch);
    CHECK_STR(ch.outer, "Proxy web request failed.");
    CHECK(ch.n_levels == 3);
    CHECK_STR(ch.levels[0].type, "System.Net.WebException");
    CHECK_STR(ch.levels[1].type, "System.IO.IOException");
    CHECK_STR(ch.innermost, "System.Net.Sockets.SocketException: An existing connection was forcibly closed by the remote host");

    ews_errchain_split(a,
        "Microsoft.Exchange.InfoWorker.Common.Availability.NoFreeBusyAccessException: The caller does not have access to "
        "free/busy data.\r\n. Name of the server where exception originated: SERVER01. LID: 44348", 16, &ch);
    CHECK(ch.outer == NULL);
    CHECK(ch.innermost == NULL);
    CHECK(ch.n_levels == 1);
    CHECK_STR(ch.levels[0].type, "Microsoft.Exchange.InfoWorker.Common.Availability.NoFreeBusyAccessException");
    CHECK_STR(ch.levels[0].message, "The caller does not have access to free/busy data.");
    CHECK_STR(ch.origin_server, "SERVER01");

    ews_errchain_split(a, "The request failed with HTTP status 401: Unauthorized.", 16, &ch);
    CHECK(ch.n_levels == 1 && ch.levels[0].type == NULL && ch.innermost == NULL);

    ews_errchain_split(a, " --->  ---> , inner exception: ", 2, &ch);   /* degenerate: bounded, no crash */
    CHECK(ch.n_levels <= 2);
    ews_errchain_split(a, NULL, 16, &ch);
    CHECK(ch.n_levels == 0);
}

static void
test_mergedfb(wmem_allocator_t *a)
{
    current = "merged free/busy";
    CHECK(!ews_rsv_is_2013_or_later(NULL));
    CHECK(!ews_rsv_is_2013_or_later("Exchange2010_SP2"));
    CHECK(!ews_rsv_is_2013_or_later("Exchange2009"));
    CHECK(ews_rsv_is_2013_or_later("Exchange2012"));
    CHECK(ews_rsv_is_2013_or_later("Exchange2013_SP1"));
    CHECK(ews_rsv_is_2013_or_later("V2_23"));
    CHECK(ews_rsv_is_2013_or_later("V2016_06_24"));
    CHECK(ews_mergedfb_state('4', FALSE) == EWS_FB_NO_DATA);
    CHECK(ews_mergedfb_state('4', TRUE) == EWS_FB_WORKING_ELSEWHERE);
    CHECK(ews_mergedfb_state('x', TRUE) == EWS_FB_INVALID);

    ews_fb_run_t runs[8];
    guint n = ews_mergedfb_runs("0022201", TRUE, runs, 8);
    CHECK(n == 4);
    CHECK(runs[1].first_slot == 2 && runs[1].n_slots == 3 && runs[1].state == EWS_FB_BUSY);
    CHECK(ews_mergedfb_runs("0101010101", TRUE, runs, 3) == 3);     /* bounded */
    CHECK(ews_mergedfb_runs("", TRUE, runs, 8) == 0);

    CHECK_STR(ews_time_add_minutes(a, "2026-11-25T23:30:00", 60), "2026-11-26T00:30");
    CHECK_STR(ews_time_add_minutes(a, "2026-11-25T08:00:00-08:00", 30), "2026-11-25T08:30-08:00");
    CHECK_STR(ews_time_add_minutes(a, "2026-11-25T08:00:00.000Z", 0), "2026-11-25T08:00Z");
    CHECK(ews_time_add_minutes(a, "tomorrow", 30) == NULL);
    CHECK(ews_time_add_minutes(a, "2026-02-29T00:00:00", 0) == NULL);           /* not a leap year */
    CHECK_STR(ews_time_add_minutes(a, "2028-02-28T23:30:00", 60), "2028-02-29T00:30");
    CHECK(ews_time_add_minutes(a, "2026-11-25T24:00:00", 0) == NULL);
    CHECK(ews_time_add_minutes(a, "2026-11-25T08:00:61", 0) == NULL);
    CHECK(ews_time_add_minutes(a, "2026-11-25T08:0", 0) == NULL);                 /* cut short */
    /* the integer calendar against GLib's, over 400 years of starts and offsets */
    {
        int mismatches = 0;
        for (int i = 0; i < 20000; i++) {
            guint32 r = (guint32)i * 2654435761u;
            GDateTime *g = g_date_time_new_utc(1900 + (int)(r % 400), 1 + (int)(r / 400 % 12), 1 + (int)(r / 4800 % 28),
                                               (int)(r / 134400 % 24), (int)(r % 60), 0);
            guint64 add = (guint64)(r / 7 % 600000);
            char *start = g_date_time_format(g, "%Y-%m-%dT%H:%M:%S");
            GDateTime *e = g_date_time_add_minutes(g, (gint)add);
            char *want = g_date_time_format(e, "%Y-%m-%dT%H:%M");
            const char *got = ews_time_add_minutes(a, start, add);
            if (!got || strcmp(got, want) != 0)
                mismatches++;
            g_free(start);
            g_free(want);
            g_date_time_unref(e);
            g_date_time_unref(g);
        }
        CHECK(mismatches == 0);
    }
    CHECK(ews_time_add_minutes(a, "2026-13-45T99:00:00", 30) == NULL);
}

static void
test_owa_json(wmem_allocator_t *a)
{
    current = "owa json";
    const char *req = "{\"request\":{\"__type\":\"GetUserAvailabilityInternalJsonRequest:#Exchange\",\"Header\":{\"RequestServerVersion\":\"V2018_01_08\"},"
                      "\"Body\":{\"MailboxDataArray\":[{\"Email\":{\"Address\":\"a@x\"}},{\"__type\":\"MailboxData:#Exchange\",\"Email\":{\"Address\":\"b\\u0040x\"}}],"
                      "\"FreeBusyViewOptions\":{\"TimeWindow\":{\"StartTime\":\"2026-11-25T00:00:00\"},\"MergedFreeBusyIntervalInMinutes\":15,\"RequestedView\":\"FreeBusy Merged\"}}}}";
    ews_parse_limits_t lim = { 100000, 1024 * 1024, 0, 64 };
    ews_doc_t doc;
    ews_owa_json_parse(a, (const guint8 *)req, strlen(req), FALSE, &lim, &doc);
    CHECK(doc.well_formed);
    const ews_node_t *r = ews_node_find(&doc.root, EK_GUA_REQUEST);   /* __type says request */
    CHECK(r != NULL);
    CHECK(ews_node_count(ews_node_child(r, EK_MAILBOX_DATA_ARRAY), EK_MAILBOX_DATA) == 2);
    CHECK_STR(ews_node_find_value(r->first->last, EK_EMAIL_ADDRESS), "b@x");          /* JSON escape decoded */
    CHECK_STR(ews_node_find_value(&doc.root, EK_RSV_VERSION), "V2018_01_08");
    CHECK_STR(ews_node_find_value(&doc.root, EK_MERGED_INTERVAL), "15");
    CHECK(ews_node_count(ews_node_child(r, EK_FB_VIEW_OPTIONS), EK_REQUESTED_VIEW) == 2);

    const char *rsp = "{\"Body\":{\"Responses\":[{\"ResponseMessage\":{\"ResponseClass\":\"Error\",\"ResponseCode\":\"ErrorX\","
                      "\"MessageXml\":\"<ExceptionServerName xmlns=\\\"http://schemas.microsoft.com/exchange/services/2006/errors\\\">EX1</ExceptionServerName>\"},"
                      "\"CalendarView\":{\"Items\":[{\"Start\":\"s\",\"FreeBusyType\":\"Busy\",\"EnhancedLocation\":{\"DisplayName\":\"Room\"}}]}}]}}";
    ews_owa_json_parse(a, (const guint8 *)rsp, strlen(rsp), FALSE, &lim, &doc);
    CHECK(doc.well_formed);
    CHECK_STR(ews_node_find_value(&doc.root, EK_RESPONSE_CLASS), "Error");
    CHECK_STR(ews_node_find_value(&doc.root, EK_EXC_SERVER), "EX1");
    CHECK_STR(ews_node_find_value(&doc.root, EK_CAL_LOCATION), "Room");
    CHECK_STR(ews_node_find_value(&doc.root, EK_BUSY_TYPE), "Busy");

    /* hostile: truncated, not JSON, deep, NUL, huge count */
    ews_owa_json_parse(a, (const guint8 *)req, strlen(req) / 2, TRUE, &lim, &doc);
    CHECK(!doc.well_formed && doc.error);
    ews_owa_json_parse(a, (const guint8 *)"[1,2]", 5, TRUE, &lim, &doc);
    CHECK(!doc.well_formed);
    GString *deep = g_string_new("{\"a\":");
    for (int i = 0; i < 100000; i++)
        g_string_append(deep, "[");
    for (int i = 0; i < 100000; i++)
        g_string_append(deep, "]");
    g_string_append(deep, "}");
    ews_owa_json_parse(a, (const guint8 *)deep->str, deep->len, TRUE, &lim, &doc);
    CHECK(!doc.well_formed && doc.error && strstr(doc.error, "deeply"));
    g_string_free(deep, TRUE);
    ews_owa_json_parse(a, (const guint8 *)"{\"a\":\"\0\"}", 8, TRUE, &lim, &doc);
    CHECK(!doc.well_formed);
    ews_parse_limits_t small = { 3, 64, 0, 64 };
    ews_owa_json_parse(a, (const guint8 *)req, strlen(req), TRUE, &small, &doc);
    CHECK(doc.node_limit_hit);
}

int
main(void)
{
    wmem_init();
    wmem_allocator_t *a = wmem_allocator_new(WMEM_ALLOCATOR_STRICT);
    test_client_request(a);
    test_prefix_variants(a);
    test_truncated(a);
    test_entities(a);
    test_limits(a);
    test_attribute_bound(a);
    test_result_kinds(a);
    test_charsets(a);
    test_errchain(a);
    test_mergedfb(a);
    test_owa_json(a);
    wmem_destroy_allocator(a);
    wmem_cleanup();
    return check_report();
}
