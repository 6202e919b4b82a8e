/* ews-soap-schema.h
 * The EWS availability vocabulary as data: which element, under which parent,
 * in which namespace, becomes which decoded item.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_SOAP_SCHEMA_H
#define EWS_SOAP_SCHEMA_H

#include <glib.h>

/* Namespaces the parser tells apart (bit positions for ews_rule_t.ns). */
typedef enum {
    EWS_NS_NONE = 0,   /* no namespace (attributes, SOAP 1.1 fault children) */
    EWS_NS_SOAP11,
    EWS_NS_SOAP12,
    EWS_NS_MESSAGES,
    EWS_NS_TYPES,
    EWS_NS_ERRORS,
    EWS_NS_WSA,
    EWS_NS_WSSE,
    EWS_NS_WSU,
    EWS_NS_DS,
    EWS_NS_XENC,
    EWS_NS_OTHER
} ews_ns_t;

#define NSB(n)      (1u << (n))
#define NSM_SOAP    (NSB(EWS_NS_SOAP11) | NSB(EWS_NS_SOAP12))
/* Lenient on purpose: real senders disagree on messages vs types for several elements. */
#define NSM_EWS     (NSB(EWS_NS_MESSAGES) | NSB(EWS_NS_TYPES) | NSB(EWS_NS_ERRORS))
#define NSM_ANY     0xffffffffu

ews_ns_t ews_ns_from_uri(const char *uri);

/* Every decoded item kind. Containers become subtrees, leaves become fields. */
typedef enum {
    EK_NONE = 0,
    EK_ROOT,
    EK_ENVELOPE, EK_HEADER, EK_BODY,
    EK_GUA_REQUEST, EK_GUA_RESPONSE,

    /* SerializableTimeZone (request body and WorkingHours) */
    EK_TIMEZONE, EK_TZ_BIAS, EK_TZ_STANDARD, EK_TZ_DAYLIGHT,
    EK_TZT_BIAS, EK_TZT_TIME, EK_TZT_DAYORDER, EK_TZT_MONTH, EK_TZT_DAYOFWEEK, EK_TZT_YEAR,

    /* request body */
    EK_MAILBOX_DATA_ARRAY, EK_MAILBOX_DATA, EK_EMAIL, EK_EMAIL_NAME, EK_EMAIL_ADDRESS,
    EK_EMAIL_ROUTING_TYPE, EK_ATTENDEE_TYPE, EK_EXCLUDE_CONFLICTS,
    EK_FB_VIEW_OPTIONS, EK_TIME_WINDOW, EK_START_TIME, EK_END_TIME, EK_MERGED_INTERVAL,
    EK_REQUESTED_VIEW,
    EK_SUGG_VIEW_OPTIONS, EK_SUGG_GOOD_THRESHOLD, EK_SUGG_MAX_RESULTS, EK_SUGG_MAX_NONWORK,
    EK_SUGG_DURATION, EK_SUGG_MIN_QUALITY, EK_SUGG_DETAILED_WINDOW, EK_SUGG_WINDOW_START, EK_SUGG_WINDOW_END,
    EK_SUGG_CURRENT_MEETING_TIME,
    EK_SUGG_GLOBAL_OBJECT_ID,

    /* response body */
    EK_FB_RESPONSE_ARRAY, EK_FB_RESPONSE,
    EK_RESPONSE_MESSAGE, EK_RESPONSE_CLASS, EK_MESSAGE_TEXT, EK_RESPONSE_CODE,
    EK_DESCRIPTIVE_LINK_KEY, EK_MESSAGE_XML, EK_EXC_TYPE, EK_EXC_CODE, EK_EXC_MESSAGE,
    EK_EXC_SERVER, EK_RESPONSE_SOURCE, EK_MSGXML_VALUE, EK_MSGXML_VALUE_NAME,
    EK_FB_VIEW, EK_FB_VIEW_TYPE, EK_MERGED_FB,
    EK_CAL_EVENT_ARRAY, EK_CAL_EVENT, EK_EVENT_START, EK_EVENT_END, EK_BUSY_TYPE, EK_CAL_DETAILS,
    EK_CAL_ID, EK_CAL_SUBJECT, EK_CAL_LOCATION, EK_CAL_IS_MEETING, EK_CAL_IS_RECURRING,
    EK_CAL_IS_EXCEPTION, EK_CAL_IS_REMINDER_SET, EK_CAL_IS_PRIVATE,
    EK_WORKING_HOURS, EK_WORKING_PERIOD_ARRAY, EK_WORKING_PERIOD, EK_WP_DAYS, EK_WP_START, EK_WP_END,
    EK_SUGG_RESPONSE, EK_SUGG_DAY_RESULT_ARRAY, EK_SUGG_DAY_RESULT, EK_SUGG_DATE,
    EK_SUGG_DAY_QUALITY, EK_SUGG_ARRAY, EK_SUGG, EK_SUGG_MEETING_TIME, EK_SUGG_IS_WORK_TIME,
    EK_SUGG_QUALITY, EK_SUGG_CONFLICT_ARRAY, EK_SUGG_CONFLICT, EK_SUGG_MEMBERS,
    EK_SUGG_MEMBERS_AVAILABLE, EK_SUGG_MEMBERS_CONFLICT, EK_SUGG_MEMBERS_NODATA,

    /* SOAP headers */
    EK_RSV, EK_RSV_VERSION, EK_TZ_CONTEXT, EK_TZ_DEFINITION, EK_TZ_DEFINITION_ID, EK_TZ_DEFINITION_NAME,
    EK_IMPERSONATION, EK_IMP_CONNECTING_SID, EK_IMP_PRINCIPAL, EK_IMP_SID, EK_IMP_SMTP,
    EK_SSC, EK_SSC_USER_SID, EK_SSC_GROUP_SIDS, EK_SSC_RESTRICTED_SIDS, EK_SSC_GROUP,
    EK_SSC_GROUP_ATTRS, EK_SSC_SID, EK_SSC_PRIMARY_SMTP,
    EK_REQUEST_TYPE_HEADER, EK_REQUEST_TYPE,
    EK_SHARING_SECURITY, EK_ENCRYPTED_DATA, EK_ENCRYPTED_DATA_TYPE,
    EK_WSA_MESSAGE_ID, EK_WSA_ACTION, EK_WSA_TO, EK_WSA_REPLY_TO, EK_WSA_ADDRESS,
    EK_WSSE, EK_WSSE_TOKEN,
    EK_PROXY_SECURITY_CONTEXT, EK_PROXY_SUGGESTER_SID, EK_PROXY_PARTNER_TOKEN,
    EK_SERVER_VERSION_INFO, EK_SVI_MAJOR, EK_SVI_MINOR, EK_SVI_MAJOR_BUILD, EK_SVI_MINOR_BUILD,
    EK_SVI_VERSION,
    EK_MAILBOX_CULTURE, EK_DATETIME_PRECISION,

    /* SOAP fault (1.1 and 1.2) */
    EK_FAULT, EK_FAULT_CODE, EK_FAULT_STRING, EK_FAULT_ACTOR, EK_FAULT_DETAIL,
    EK_FAULT_ERROR_CODE, EK_FAULT_MESSAGE, EK_FAULT12_CODE, EK_FAULT12_SUBCODE, EK_FAULT12_REASON,

    EK__COUNT
} ews_kind_t;

/* How an item gets its value. */
typedef enum {
    EV_NONE,   /* container or marker: no value */
    EV_TEXT,   /* the element's text, whitespace-trimmed */
    EV_LIST,   /* xs:list: one item per whitespace-separated token */
    EV_NAME    /* the element's local name (for open-ended children such as WS-Security tokens) */
} ews_value_t;

/* One row: under an item of kind `parent`, an element (or "@attribute") named `name`
 * in one of the namespaces `ns` becomes an item of kind `kind`. Name "*" matches any. */
typedef struct {
    ews_kind_t  parent;
    guint32     ns;
    const char *name;
    ews_kind_t  kind;
    ews_value_t value;
} ews_rule_t;

/* Rules whose parent is `parent`, in table order. */
const ews_rule_t *ews_rules_for(ews_kind_t parent, gsize *count);

#endif
