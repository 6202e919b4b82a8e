/* ews-soap-schema.c
 * The element table of EWS GetUserAvailability (Messages.xsd / Types.xsd), SOAP
 * framing, and the SOAP headers that reveal how a request was routed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-soap-schema.h"

#include <string.h>

static const struct {
    const char *uri;   /* without scheme: DOC samples print https:// where the wire has http:// */
    ews_ns_t    ns;
} ns_uris[] = {
    { "schemas.xmlsoap.org/soap/envelope/",                        EWS_NS_SOAP11 },
    { "www.w3.org/2003/05/soap-envelope",                          EWS_NS_SOAP12 },
    { "schemas.microsoft.com/exchange/services/2006/messages",     EWS_NS_MESSAGES },
    { "schemas.microsoft.com/exchange/services/2006/types",        EWS_NS_TYPES },
    { "schemas.microsoft.com/exchange/services/2006/errors",       EWS_NS_ERRORS },
    { "www.w3.org/2005/08/addressing",                             EWS_NS_WSA },
    { "docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",  EWS_NS_WSSE },
    { "docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd", EWS_NS_WSU },
    { "www.w3.org/2000/09/xmldsig#",                               EWS_NS_DS },
    { "www.w3.org/2001/04/xmlenc#",                                EWS_NS_XENC },
    { "schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006",   EWS_NS_AD_POX },
    { "schemas.microsoft.com/exchange/autodiscover/responseschema/2006",          EWS_NS_AD_POX },
    { "schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a", EWS_NS_AD_POX },
    { "schemas.microsoft.com/exchange/2010/Autodiscover",                          EWS_NS_AD_SOAP },
    { "schemas.xmlsoap.org/ws/2005/02/trust",                                      EWS_NS_WST },
    { "docs.oasis-open.org/ws-sx/ws-trust/200512",                                 EWS_NS_WST },
};

/* A namespace URI's meaning (the parser remembers the answers per document) */
ews_ns_t
ews_ns_from_uri(const char *uri)
{
    if (!uri || !*uri)
        return EWS_NS_NONE;
    if (g_ascii_strncasecmp(uri, "http://", 7) == 0)
        uri += 7;
    else if (g_ascii_strncasecmp(uri, "https://", 8) == 0)
        uri += 8;
    for (gsize i = 0; i < G_N_ELEMENTS(ns_uris); i++) {
        if (g_ascii_strcasecmp(uri, ns_uris[i].uri) == 0)
            return ns_uris[i].ns;
    }
    return EWS_NS_OTHER;
}

#define TYPES   NSB(EWS_NS_TYPES)
#define MSGS    NSB(EWS_NS_MESSAGES)
#define EWS     NSM_EWS
#define SOAP    NSM_SOAP
#define ATTR    NSB(EWS_NS_NONE)
#define WSA     NSB(EWS_NS_WSA)
#define WSSE    NSB(EWS_NS_WSSE)
#define XENC    NSB(EWS_NS_XENC)
#define NONE_OR_SOAP (NSB(EWS_NS_NONE) | NSM_SOAP)
/* The operation element itself is sometimes written with no namespace (the SDK's samples,
 * and servers built from them), its arrays declaring the messages namespace themselves. */
#define EWS_OR_NONE (NSM_EWS | NSB(EWS_NS_NONE))
#define JSON    NSM_JSON
#define POX     NSB(EWS_NS_AD_POX)
#define ADS     NSB(EWS_NS_AD_SOAP)
#define WST     NSB(EWS_NS_WST)

/* Sorted by parent so that each parent's rules are one run (checked at first use). */
static const ews_rule_t rules[] = {
    /* SOAP framing */
    { EK_ROOT,      SOAP, "Envelope",                      EK_ENVELOPE,  EV_NONE },
    { EK_ROOT,      POX,  "Autodiscover",                  EK_AD_POX,    EV_NONE },
    { EK_ENVELOPE,  SOAP, "Header",                        EK_HEADER,    EV_NONE },
    { EK_ENVELOPE,  SOAP, "Body",                          EK_BODY,      EV_NONE },

    /* Body: the operation or a fault */
    { EK_BODY,      EWS_OR_NONE, "GetUserAvailabilityRequest",  EK_GUA_REQUEST,  EV_NONE },
    { EK_BODY,      EWS_OR_NONE, "GetUserAvailabilityResponse", EK_GUA_RESPONSE, EV_NONE },
    { EK_BODY,      SOAP, "Fault",                         EK_FAULT,        EV_NONE },
    { EK_BODY,      ADS,  "GetUserSettingsRequestMessage",  EK_AD_GUS_REQUEST,  EV_NONE },
    { EK_BODY,      ADS,  "GetUserSettingsResponseMessage", EK_AD_GUS_RESPONSE, EV_NONE },
    { EK_BODY,      ADS,  "GetDomainSettingsRequestMessage",  EK_AD_GDS_REQUEST,  EV_NONE },
    { EK_BODY,      ADS,  "GetDomainSettingsResponseMessage", EK_AD_GDS_RESPONSE, EV_NONE },
    { EK_BODY,      ADS,  "GetFederationInformationRequestMessage",  EK_AD_GFI_REQUEST,  EV_NONE },
    { EK_BODY,      ADS,  "GetFederationInformationResponseMessage", EK_AD_GFI_RESPONSE, EV_NONE },
    { EK_BODY,      ADS,  "GetOrganizationRelationshipSettingsRequestMessage",  EK_AD_GORS_REQUEST,  EV_NONE },
    { EK_BODY,      ADS,  "GetOrganizationRelationshipSettingsResponseMessage", EK_AD_GORS_RESPONSE, EV_NONE },
    { EK_BODY,      WST,  "RequestSecurityToken",          EK_WST_RST,      EV_NONE },
    { EK_BODY,      WST,  "RequestSecurityTokenResponse",  EK_WST_RSTR,     EV_NONE },
    { EK_BODY,      WST,  "RequestSecurityTokenResponseCollection", EK_WST_RSTR, EV_NONE },

    /* GetUserAvailabilityRequest */
    { EK_GUA_REQUEST, EWS, "TimeZone",                     EK_TIMEZONE,            EV_NONE },
    { EK_GUA_REQUEST, EWS, "MailboxDataArray",             EK_MAILBOX_DATA_ARRAY,  EV_NONE },
    { EK_GUA_REQUEST, EWS, "FreeBusyViewOptions",          EK_FB_VIEW_OPTIONS,     EV_NONE },
    { EK_GUA_REQUEST, EWS, "SuggestionsViewOptions",       EK_SUGG_VIEW_OPTIONS,   EV_NONE },

    /* GetUserAvailabilityResponse */
    { EK_GUA_RESPONSE, EWS, "FreeBusyResponseArray",       EK_FB_RESPONSE_ARRAY,   EV_NONE },
    { EK_GUA_RESPONSE, EWS, "SuggestionsResponse",         EK_SUGG_RESPONSE,       EV_NONE },
    /* OWA JSON: GetUserAvailabilityInternalResponse is itself a ResponseMessage with Responses[] */
    { EK_GUA_RESPONSE, JSON, "Responses",                  EK_FB_RESPONSE_ARRAY,   EV_NONE },
    { EK_GUA_RESPONSE, JSON, "ResponseClass",              EK_OWA_RESULT_CLASS,    EV_TEXT },
    { EK_GUA_RESPONSE, JSON, "ResponseCode",               EK_OWA_RESULT_CODE,     EV_TEXT },
    { EK_GUA_RESPONSE, JSON, "MessageText",                EK_MESSAGE_TEXT,        EV_TEXT },

    /* SerializableTimeZone */
    { EK_TIMEZONE,  EWS,  "Bias",                          EK_TZ_BIAS,       EV_TEXT },
    { EK_TIMEZONE,  EWS,  "StandardTime",                  EK_TZ_STANDARD,   EV_NONE },
    { EK_TIMEZONE,  EWS,  "DaylightTime",                  EK_TZ_DAYLIGHT,   EV_NONE },
    { EK_TZ_STANDARD, EWS, "Bias",                         EK_TZT_BIAS,      EV_TEXT },
    { EK_TZ_STANDARD, EWS, "Time",                         EK_TZT_TIME,      EV_TEXT },
    { EK_TZ_STANDARD, EWS, "DayOrder",                     EK_TZT_DAYORDER,  EV_TEXT },
    { EK_TZ_STANDARD, EWS, "Month",                        EK_TZT_MONTH,     EV_TEXT },
    { EK_TZ_STANDARD, EWS, "DayOfWeek",                    EK_TZT_DAYOFWEEK, EV_TEXT },
    { EK_TZ_STANDARD, EWS, "Year",                         EK_TZT_YEAR,      EV_TEXT },
    { EK_TZ_DAYLIGHT, EWS, "Bias",                         EK_TZT_BIAS,      EV_TEXT },
    { EK_TZ_DAYLIGHT, EWS, "Time",                         EK_TZT_TIME,      EV_TEXT },
    { EK_TZ_DAYLIGHT, EWS, "DayOrder",                     EK_TZT_DAYORDER,  EV_TEXT },
    { EK_TZ_DAYLIGHT, EWS, "Month",                        EK_TZT_MONTH,     EV_TEXT },
    { EK_TZ_DAYLIGHT, EWS, "DayOfWeek",                    EK_TZT_DAYOFWEEK, EV_TEXT },
    { EK_TZ_DAYLIGHT, EWS, "Year",                         EK_TZT_YEAR,      EV_TEXT },

    /* MailboxDataArray */
    { EK_MAILBOX_DATA_ARRAY, EWS, "MailboxData",           EK_MAILBOX_DATA,  EV_NONE },
    { EK_MAILBOX_DATA, EWS, "Email",                       EK_EMAIL,               EV_NONE },
    { EK_MAILBOX_DATA, EWS, "AttendeeType",                EK_ATTENDEE_TYPE,       EV_TEXT },
    { EK_MAILBOX_DATA, EWS, "ExcludeConflicts",            EK_EXCLUDE_CONFLICTS,   EV_TEXT },
    { EK_EMAIL,     EWS,  "Name",                          EK_EMAIL_NAME,          EV_TEXT },
    { EK_EMAIL,     EWS,  "Address",                       EK_EMAIL_ADDRESS,       EV_TEXT },
    { EK_EMAIL,     EWS,  "RoutingType",                   EK_EMAIL_ROUTING_TYPE,  EV_TEXT },

    /* FreeBusyViewOptions */
    { EK_FB_VIEW_OPTIONS, EWS, "TimeWindow",               EK_TIME_WINDOW,      EV_NONE },
    { EK_FB_VIEW_OPTIONS, EWS, "MergedFreeBusyIntervalInMinutes", EK_MERGED_INTERVAL, EV_TEXT },
    { EK_FB_VIEW_OPTIONS, EWS, "RequestedView",            EK_REQUESTED_VIEW,   EV_LIST },
    { EK_TIME_WINDOW, EWS, "StartTime",                    EK_START_TIME,       EV_TEXT },
    { EK_TIME_WINDOW, EWS, "EndTime",                      EK_END_TIME,         EV_TEXT },

    /* SuggestionsViewOptions (the DOC page's MaximumNonWorkingHourResultsByDay spelling too) */
    { EK_SUGG_VIEW_OPTIONS, EWS, "GoodThreshold",          EK_SUGG_GOOD_THRESHOLD, EV_TEXT },
    { EK_SUGG_VIEW_OPTIONS, EWS, "MaximumResultsByDay",    EK_SUGG_MAX_RESULTS,    EV_TEXT },
    { EK_SUGG_VIEW_OPTIONS, EWS, "MaximumNonWorkHourResultsByDay",    EK_SUGG_MAX_NONWORK, EV_TEXT },
    { EK_SUGG_VIEW_OPTIONS, EWS, "MaximumNonWorkingHourResultsByDay", EK_SUGG_MAX_NONWORK, EV_TEXT },
    { EK_SUGG_VIEW_OPTIONS, EWS, "MeetingDurationInMinutes", EK_SUGG_DURATION,     EV_TEXT },
    { EK_SUGG_VIEW_OPTIONS, EWS, "MinimumSuggestionQuality", EK_SUGG_MIN_QUALITY,  EV_TEXT },
    { EK_SUGG_VIEW_OPTIONS, EWS, "DetailedSuggestionsWindow", EK_SUGG_DETAILED_WINDOW, EV_NONE },
    { EK_SUGG_VIEW_OPTIONS, EWS, "CurrentMeetingTime",     EK_SUGG_CURRENT_MEETING_TIME, EV_TEXT },
    { EK_SUGG_VIEW_OPTIONS, EWS, "GlobalObjectId",         EK_SUGG_GLOBAL_OBJECT_ID, EV_TEXT },
    { EK_SUGG_DETAILED_WINDOW, EWS, "StartTime",           EK_SUGG_WINDOW_START, EV_TEXT },
    { EK_SUGG_DETAILED_WINDOW, EWS, "EndTime",             EK_SUGG_WINDOW_END,  EV_TEXT },

    /* FreeBusyResponseArray */
    { EK_FB_RESPONSE_ARRAY, EWS, "FreeBusyResponse",       EK_FB_RESPONSE,      EV_NONE },
    { EK_FB_RESPONSE, EWS, "ResponseMessage",              EK_RESPONSE_MESSAGE, EV_NONE },
    { EK_FB_RESPONSE, EWS, "FreeBusyView",                 EK_FB_VIEW,          EV_NONE },
    { EK_FB_RESPONSE, JSON, "CalendarView",                EK_FB_VIEW,          EV_NONE },

    /* ResponseMessage */
    { EK_RESPONSE_MESSAGE, ATTR, "@ResponseClass",         EK_RESPONSE_CLASS,   EV_TEXT },
    { EK_RESPONSE_MESSAGE, EWS, "MessageText",             EK_MESSAGE_TEXT,     EV_TEXT },
    { EK_RESPONSE_MESSAGE, EWS, "ResponseCode",            EK_RESPONSE_CODE,    EV_TEXT },
    { EK_RESPONSE_MESSAGE, EWS, "DescriptiveLinkKey",      EK_DESCRIPTIVE_LINK_KEY, EV_TEXT },
    { EK_RESPONSE_MESSAGE, EWS, "MessageXml",              EK_MESSAGE_XML,      EV_NONE },
    { EK_MESSAGE_XML, EWS, "ExceptionType",                EK_EXC_TYPE,         EV_TEXT },
    { EK_MESSAGE_XML, EWS, "ExceptionCode",                EK_EXC_CODE,         EV_TEXT },
    { EK_MESSAGE_XML, EWS, "ExceptionMessage",             EK_EXC_MESSAGE,      EV_TEXT },
    { EK_MESSAGE_XML, EWS, "ExceptionServerName",          EK_EXC_SERVER,       EV_TEXT },
    { EK_MESSAGE_XML, EWS, "ResponseSource",               EK_RESPONSE_SOURCE,  EV_TEXT },
    { EK_MESSAGE_XML, EWS, "Value",                        EK_MSGXML_VALUE,     EV_TEXT },
    { EK_MSGXML_VALUE, ATTR, "@Name",                      EK_MSGXML_VALUE_NAME, EV_TEXT },

    /* FreeBusyView */
    /* one item per mailbox (an xs:list, kept whole): ews.view.type aligns with ews.mailbox */
    { EK_FB_VIEW,   EWS,  "FreeBusyViewType",              EK_FB_VIEW_TYPE,     EV_TEXT },
    { EK_FB_VIEW,   EWS,  "MergedFreeBusy",                EK_MERGED_FB,        EV_TEXT },
    { EK_FB_VIEW,   EWS,  "CalendarEventArray",            EK_CAL_EVENT_ARRAY,  EV_NONE },
    { EK_FB_VIEW,   EWS,  "WorkingHours",                  EK_WORKING_HOURS,    EV_NONE },
    { EK_FB_VIEW,   JSON, "Items",                         EK_CAL_EVENT_ARRAY,  EV_NONE },
    { EK_CAL_EVENT_ARRAY, EWS, "CalendarEvent",            EK_CAL_EVENT,        EV_NONE },
    { EK_CAL_EVENT, EWS,  "StartTime",                     EK_EVENT_START,      EV_TEXT },
    { EK_CAL_EVENT, EWS,  "EndTime",                       EK_EVENT_END,        EV_TEXT },
    { EK_CAL_EVENT, EWS,  "BusyType",                      EK_BUSY_TYPE,        EV_TEXT },
    { EK_CAL_EVENT, EWS,  "CalendarEventDetails",          EK_CAL_DETAILS,      EV_NONE },
    /* OWA JSON CalendarItem: flat, other names */
    { EK_CAL_EVENT, JSON, "Start",                         EK_EVENT_START,      EV_TEXT },
    { EK_CAL_EVENT, JSON, "End",                           EK_EVENT_END,        EV_TEXT },
    { EK_CAL_EVENT, JSON, "FreeBusyType",                  EK_BUSY_TYPE,        EV_TEXT },
    { EK_CAL_EVENT, JSON, "Subject",                       EK_CAL_SUBJECT,      EV_TEXT },
    { EK_CAL_EVENT, JSON, "Location",                      EK_CAL_LOCATION,     EV_TEXT },
    { EK_CAL_EVENT, JSON, "EnhancedLocation",              EK_CAL_LOCATION,     EV_TEXT },
    { EK_CAL_EVENT, JSON, "IsMeeting",                     EK_CAL_IS_MEETING,   EV_TEXT },
    { EK_CAL_EVENT, JSON, "ReminderIsSet",                 EK_CAL_IS_REMINDER_SET, EV_TEXT },
    { EK_CAL_EVENT, JSON, "IsPrivate",                     EK_CAL_IS_PRIVATE,   EV_TEXT },
    { EK_CAL_DETAILS, EWS, "ID",                           EK_CAL_ID,           EV_TEXT },
    { EK_CAL_DETAILS, EWS, "Subject",                      EK_CAL_SUBJECT,      EV_TEXT },
    { EK_CAL_DETAILS, EWS, "Location",                     EK_CAL_LOCATION,     EV_TEXT },
    { EK_CAL_DETAILS, EWS, "IsMeeting",                    EK_CAL_IS_MEETING,   EV_TEXT },
    { EK_CAL_DETAILS, EWS, "IsRecurring",                  EK_CAL_IS_RECURRING, EV_TEXT },
    { EK_CAL_DETAILS, EWS, "IsException",                  EK_CAL_IS_EXCEPTION, EV_TEXT },
    { EK_CAL_DETAILS, EWS, "IsReminderSet",                EK_CAL_IS_REMINDER_SET, EV_TEXT },
    { EK_CAL_DETAILS, EWS, "IsPrivate",                    EK_CAL_IS_PRIVATE,   EV_TEXT },
    { EK_WORKING_HOURS, EWS, "TimeZone",                   EK_TIMEZONE,         EV_NONE },
    { EK_WORKING_HOURS, EWS, "WorkingPeriodArray",         EK_WORKING_PERIOD_ARRAY, EV_NONE },
    { EK_WORKING_PERIOD_ARRAY, EWS, "WorkingPeriod",       EK_WORKING_PERIOD,   EV_NONE },
    { EK_WORKING_PERIOD, EWS, "DayOfWeek",                 EK_WP_DAYS,          EV_LIST },
    { EK_WORKING_PERIOD, EWS, "StartTimeInMinutes",        EK_WP_START,         EV_TEXT },
    { EK_WORKING_PERIOD, EWS, "EndTimeInMinutes",          EK_WP_END,           EV_TEXT },

    /* SuggestionsResponse */
    { EK_SUGG_RESPONSE, EWS, "ResponseMessage",            EK_SUGG_RESPONSE_MESSAGE, EV_NONE },
    { EK_SUGG_RESPONSE, EWS, "SuggestionDayResultArray",   EK_SUGG_DAY_RESULT_ARRAY, EV_NONE },
    /* the suggestions' own result: fields of their own, so per-mailbox fields stay one per mailbox */
    { EK_SUGG_RESPONSE_MESSAGE, ATTR, "@ResponseClass",    EK_SUGG_RESULT_CLASS, EV_TEXT },
    { EK_SUGG_RESPONSE_MESSAGE, EWS, "MessageText",        EK_MESSAGE_TEXT,     EV_TEXT },
    { EK_SUGG_RESPONSE_MESSAGE, EWS, "ResponseCode",       EK_SUGG_RESULT_CODE, EV_TEXT },
    { EK_SUGG_RESPONSE_MESSAGE, EWS, "DescriptiveLinkKey", EK_DESCRIPTIVE_LINK_KEY, EV_TEXT },
    { EK_SUGG_RESPONSE_MESSAGE, EWS, "MessageXml",         EK_MESSAGE_XML,      EV_NONE },
    { EK_SUGG_DAY_RESULT_ARRAY, EWS, "SuggestionDayResult", EK_SUGG_DAY_RESULT, EV_NONE },
    { EK_SUGG_DAY_RESULT, EWS, "Date",                     EK_SUGG_DATE,        EV_TEXT },
    { EK_SUGG_DAY_RESULT, EWS, "DayQuality",               EK_SUGG_DAY_QUALITY, EV_TEXT },
    { EK_SUGG_DAY_RESULT, EWS, "SuggestionArray",          EK_SUGG_ARRAY,       EV_NONE },
    { EK_SUGG_ARRAY, EWS, "Suggestion",                    EK_SUGG,             EV_NONE },
    { EK_SUGG,      EWS,  "MeetingTime",                   EK_SUGG_MEETING_TIME, EV_TEXT },
    { EK_SUGG,      EWS,  "IsWorkTime",                    EK_SUGG_IS_WORK_TIME, EV_TEXT },
    { EK_SUGG,      EWS,  "SuggestionQuality",             EK_SUGG_QUALITY,     EV_TEXT },
    { EK_SUGG,      EWS,  "AttendeeConflictDataArray",     EK_SUGG_CONFLICT_ARRAY, EV_NONE },
    { EK_SUGG_CONFLICT_ARRAY, EWS, "*",                    EK_SUGG_CONFLICT,    EV_NAME },
    { EK_SUGG_CONFLICT, EWS, "BusyType",                   EK_BUSY_TYPE,        EV_TEXT },
    { EK_SUGG_CONFLICT, EWS, "NumberOfMembers",            EK_SUGG_MEMBERS,     EV_TEXT },
    { EK_SUGG_CONFLICT, EWS, "NumberOfMembersAvailable",   EK_SUGG_MEMBERS_AVAILABLE, EV_TEXT },
    { EK_SUGG_CONFLICT, EWS, "NumberOfMembersWithConflict", EK_SUGG_MEMBERS_CONFLICT, EV_TEXT },
    { EK_SUGG_CONFLICT, EWS, "NumberOfMembersWithNoData",  EK_SUGG_MEMBERS_NODATA, EV_TEXT },

    /* SOAP headers (protocol-notes.md §5). RequestTypeHeader is matched in any namespace. */
    { EK_HEADER,    EWS,  "RequestServerVersion",          EK_RSV,              EV_NONE },
    { EK_HEADER,    EWS,  "TimeZoneContext",               EK_TZ_CONTEXT,       EV_NONE },
    { EK_HEADER,    EWS,  "ExchangeImpersonation",         EK_IMPERSONATION,    EV_NONE },
    { EK_HEADER,    EWS,  "SerializedSecurityContext",     EK_SSC,              EV_NONE },
    { EK_HEADER,    NSM_ANY, "RequestTypeHeader",          EK_REQUEST_TYPE_HEADER, EV_NONE },
    { EK_HEADER,    NSM_ANY, "ProxyRequestTypeHeader",     EK_REQUEST_TYPE,     EV_TEXT },
    { EK_HEADER,    EWS,  "SharingSecurity",               EK_SHARING_SECURITY, EV_NONE },
    { EK_HEADER,    WSA,  "MessageID",                     EK_WSA_MESSAGE_ID,   EV_TEXT },
    { EK_HEADER,    WSA,  "Action",                        EK_WSA_ACTION,       EV_TEXT },
    { EK_HEADER,    WSA,  "To",                            EK_WSA_TO,           EV_TEXT },
    { EK_HEADER,    WSA,  "ReplyTo",                       EK_WSA_REPLY_TO,     EV_NONE },
    { EK_HEADER,    WSSE, "Security",                      EK_WSSE,             EV_NONE },
    { EK_HEADER,    EWS,  "ProxySecurityContext",          EK_PROXY_SECURITY_CONTEXT, EV_NONE },
    { EK_HEADER,    EWS,  "ProxySuggesterSid",             EK_PROXY_SUGGESTER_SID, EV_NONE },
    { EK_HEADER,    EWS,  "ProxyPartnerToken",             EK_PROXY_PARTNER_TOKEN, EV_NONE },
    { EK_HEADER,    EWS,  "ServerVersionInfo",             EK_SERVER_VERSION_INFO, EV_NONE },
    { EK_HEADER,    EWS,  "MailboxCulture",                EK_MAILBOX_CULTURE,  EV_TEXT },
    { EK_HEADER,    EWS,  "DateTimePrecision",             EK_DATETIME_PRECISION, EV_TEXT },
    { EK_HEADER,    JSON, "RequestServerVersion",          EK_RSV_VERSION,      EV_TEXT },

    { EK_RSV,       ATTR, "@Version",                      EK_RSV_VERSION,      EV_TEXT },
    { EK_TZ_CONTEXT, EWS, "TimeZoneDefinition",            EK_TZ_DEFINITION,    EV_NONE },
    { EK_TZ_DEFINITION, ATTR, "@Id",                       EK_TZ_DEFINITION_ID, EV_TEXT },
    { EK_TZ_DEFINITION, ATTR, "@Name",                     EK_TZ_DEFINITION_NAME, EV_TEXT },
    { EK_IMPERSONATION, EWS, "ConnectingSID",              EK_IMP_CONNECTING_SID, EV_NONE },
    { EK_IMP_CONNECTING_SID, EWS, "PrincipalName",         EK_IMP_PRINCIPAL,    EV_TEXT },
    { EK_IMP_CONNECTING_SID, EWS, "SID",                   EK_IMP_SID,          EV_TEXT },
    { EK_IMP_CONNECTING_SID, EWS, "PrimarySmtpAddress",    EK_IMP_SMTP,         EV_TEXT },
    { EK_IMP_CONNECTING_SID, EWS, "SmtpAddress",           EK_IMP_SMTP,         EV_TEXT },
    { EK_SSC,       EWS,  "UserSid",                       EK_SSC_USER_SID,     EV_TEXT },
    { EK_SSC,       EWS,  "GroupSids",                     EK_SSC_GROUP_SIDS,   EV_NONE },
    { EK_SSC,       EWS,  "RestrictedGroupSids",           EK_SSC_RESTRICTED_SIDS, EV_NONE },
    { EK_SSC,       EWS,  "PrimarySmtpAddress",            EK_SSC_PRIMARY_SMTP, EV_TEXT },
    { EK_SSC_GROUP_SIDS, EWS, "GroupIdentifier",           EK_SSC_GROUP,        EV_NONE },
    { EK_SSC_RESTRICTED_SIDS, EWS, "RestrictedGroupIdentifier", EK_SSC_GROUP,   EV_NONE },
    { EK_SSC_GROUP, ATTR, "@Attributes",                   EK_SSC_GROUP_ATTRS,  EV_TEXT },
    { EK_SSC_GROUP, EWS,  "SecurityIdentifier",            EK_SSC_SID,          EV_TEXT },
    { EK_REQUEST_TYPE_HEADER, NSM_ANY, "RequestType",      EK_REQUEST_TYPE,     EV_TEXT },
    { EK_SHARING_SECURITY, XENC, "EncryptedData",          EK_ENCRYPTED_DATA,   EV_NONE },
    { EK_ENCRYPTED_DATA, ATTR, "@Type",                    EK_ENCRYPTED_DATA_TYPE, EV_TEXT },
    { EK_WSA_REPLY_TO, WSA, "Address",                     EK_WSA_ADDRESS,      EV_TEXT },
    { EK_WSSE,      NSM_ANY, "*",                          EK_WSSE_TOKEN,       EV_NAME },
    { EK_SERVER_VERSION_INFO, ATTR, "@MajorVersion",       EK_SVI_MAJOR,        EV_TEXT },
    { EK_SERVER_VERSION_INFO, ATTR, "@MinorVersion",       EK_SVI_MINOR,        EV_TEXT },
    { EK_SERVER_VERSION_INFO, ATTR, "@MajorBuildNumber",   EK_SVI_MAJOR_BUILD,  EV_TEXT },
    { EK_SERVER_VERSION_INFO, ATTR, "@MinorBuildNumber",   EK_SVI_MINOR_BUILD,  EV_TEXT },
    { EK_SERVER_VERSION_INFO, ATTR, "@Version",            EK_SVI_VERSION,      EV_TEXT },

    /* POX Autodiscover (protocol-notes.md §10.1) */
    { EK_AD_POX,    POX,  "Request",                       EK_AD_REQUEST,       EV_NONE },
    { EK_AD_POX,    POX,  "Response",                      EK_AD_RESPONSE,      EV_NONE },
    { EK_AD_REQUEST, POX, "EMailAddress",                  EK_AD_EMAIL,         EV_TEXT },
    { EK_AD_REQUEST, POX, "LegacyDN",                      EK_AD_LEGACY_DN,     EV_TEXT },
    { EK_AD_REQUEST, POX, "AcceptableResponseSchema",      EK_AD_SCHEMA,        EV_TEXT },
    { EK_AD_RESPONSE, POX, "User",                         EK_AD_USER,          EV_NONE },
    { EK_AD_RESPONSE, POX, "Account",                      EK_AD_ACCOUNT,       EV_NONE },
    { EK_AD_RESPONSE, POX, "Error",                        EK_AD_ERROR,         EV_NONE },
    { EK_AD_USER,   POX,  "DisplayName",                   EK_AD_DISPLAY_NAME,  EV_TEXT },
    { EK_AD_USER,   POX,  "LegacyDN",                      EK_AD_LEGACY_DN,     EV_TEXT },
    { EK_AD_USER,   POX,  "DeploymentId",                  EK_AD_DEPLOYMENT_ID, EV_TEXT },
    { EK_AD_USER,   POX,  "AutoDiscoverSMTPAddress",       EK_AD_SMTP,          EV_TEXT },
    { EK_AD_ACCOUNT, POX, "AccountType",                   EK_AD_ACCOUNT_TYPE,  EV_TEXT },
    { EK_AD_ACCOUNT, POX, "Action",                        EK_AD_ACTION,        EV_TEXT },
    { EK_AD_ACCOUNT, POX, "RedirectAddr",                  EK_AD_REDIRECT_ADDR, EV_TEXT },
    { EK_AD_ACCOUNT, POX, "RedirectUrl",                   EK_AD_REDIRECT_URL,  EV_TEXT },
    { EK_AD_ACCOUNT, POX, "Protocol",                      EK_AD_PROTOCOL,      EV_NONE },
    { EK_AD_PROTOCOL, POX, "Type",                         EK_AD_PROTO_TYPE,    EV_TEXT },
    { EK_AD_PROTOCOL, POX, "Server",                       EK_AD_SERVER,        EV_TEXT },
    { EK_AD_PROTOCOL, POX, "ServerVersion",                EK_AD_SERVER_VERSION, EV_TEXT },
    { EK_AD_PROTOCOL, POX, "ASUrl",                        EK_AD_AS_URL,        EV_TEXT },
    { EK_AD_PROTOCOL, POX, "EwsUrl",                       EK_AD_EWS_URL,       EV_TEXT },
    { EK_AD_PROTOCOL, POX, "OOFUrl",                       EK_AD_OOF_URL,       EV_TEXT },
    { EK_AD_ERROR,  POX,  "ErrorCode",                     EK_AD_ERROR_CODE,    EV_TEXT },
    { EK_AD_ERROR,  POX,  "Message",                       EK_AD_ERROR_MESSAGE, EV_TEXT },

    /* SOAP Autodiscover (protocol-notes.md §10.2): Request/Response wrappers are transparent */
    { EK_AD_GUS_REQUEST, ADS, "Request",                   EK_AD_SOAP_WRAP,     EV_NONE },
    { EK_AD_GUS_RESPONSE, ADS, "Response",                 EK_AD_SOAP_WRAP,     EV_NONE },
    { EK_AD_GDS_REQUEST, ADS, "Request",                   EK_AD_SOAP_WRAP,     EV_NONE },
    { EK_AD_GDS_RESPONSE, ADS, "Response",                 EK_AD_SOAP_WRAP,     EV_NONE },
    { EK_AD_GFI_REQUEST, ADS, "Request",                   EK_AD_SOAP_WRAP,     EV_NONE },
    { EK_AD_GFI_RESPONSE, ADS, "Response",                 EK_AD_SOAP_WRAP,     EV_NONE },
    { EK_AD_GORS_REQUEST, ADS, "Request",                  EK_AD_SOAP_WRAP,     EV_NONE },
    { EK_AD_GORS_RESPONSE, ADS, "Response",                EK_AD_SOAP_WRAP,     EV_NONE },
    { EK_AD_SOAP_WRAP, ADS, "Users",                       EK_AD_USERS,         EV_NONE },
    { EK_AD_SOAP_WRAP, ADS, "RequestedSettings",           EK_AD_REQUESTED_SETTINGS, EV_NONE },
    { EK_AD_SOAP_WRAP, ADS, "RequestedVersion",            EK_AD_REQUESTED_VERSION, EV_TEXT },
    { EK_AD_SOAP_WRAP, ADS, "Domains",                     EK_AD_DOMAINS,       EV_NONE },
    { EK_AD_SOAP_WRAP, ADS, "Domain",                      EK_AD_DOMAIN,        EV_TEXT },
    { EK_AD_SOAP_WRAP, ADS, "ErrorCode",                   EK_AD_ERROR_CODE,    EV_TEXT },
    { EK_AD_SOAP_WRAP, ADS, "ErrorMessage",                EK_AD_ERROR_MESSAGE, EV_TEXT },
    { EK_AD_SOAP_WRAP, ADS, "UserResponses",               EK_AD_USER_RESPONSES, EV_NONE },
    { EK_AD_SOAP_WRAP, ADS, "DomainResponses",             EK_AD_USER_RESPONSES, EV_NONE },
    { EK_AD_SOAP_WRAP, ADS, "ApplicationUri",              EK_AD_APPLICATION_URI, EV_TEXT },
    { EK_AD_SOAP_WRAP, ADS, "TokenIssuers",                EK_AD_TOKEN_ISSUERS, EV_NONE },
    { EK_AD_SOAP_WRAP, ADS, "OrganizationRelationshipSettingsCollection", EK_AD_SOAP_WRAP, EV_NONE },
    { EK_AD_SOAP_WRAP, ADS, "OrganizationRelationshipSettings", EK_AD_ORGREL,   EV_NONE },
    { EK_AD_USERS,  ADS,  "User",                          EK_AD_SOAP_USER,     EV_NONE },
    { EK_AD_SOAP_USER, ADS, "Mailbox",                     EK_AD_EMAIL,         EV_TEXT },
    { EK_AD_REQUESTED_SETTINGS, ADS, "Setting",            EK_AD_REQUESTED_SETTING, EV_TEXT },
    { EK_AD_DOMAINS, ADS, "Domain",                        EK_AD_DOMAIN,        EV_TEXT },
    { EK_AD_USER_RESPONSES, ADS, "UserResponse",           EK_AD_USER_RESPONSE, EV_NONE },
    { EK_AD_USER_RESPONSES, ADS, "DomainResponse",         EK_AD_USER_RESPONSE, EV_NONE },
    { EK_AD_USER_RESPONSE, ADS, "ErrorCode",               EK_AD_ERROR_CODE,    EV_TEXT },
    { EK_AD_USER_RESPONSE, ADS, "ErrorMessage",            EK_AD_ERROR_MESSAGE, EV_TEXT },
    { EK_AD_USER_RESPONSE, ADS, "RedirectTarget",          EK_AD_REDIRECT_TARGET, EV_TEXT },
    { EK_AD_USER_RESPONSE, ADS, "UserSettings",            EK_AD_SETTINGS,      EV_NONE },
    { EK_AD_USER_RESPONSE, ADS, "DomainSettings",          EK_AD_SETTINGS,      EV_NONE },
    { EK_AD_USER_RESPONSE, ADS, "UserSettingErrors",       EK_AD_SETTING_ERRORS, EV_NONE },
    { EK_AD_USER_RESPONSE, ADS, "DomainSettingErrors",     EK_AD_SETTING_ERRORS, EV_NONE },
    { EK_AD_SETTINGS, ADS, "UserSetting",                  EK_AD_SETTING,       EV_NONE },
    { EK_AD_SETTINGS, ADS, "DomainSetting",                EK_AD_SETTING,       EV_NONE },
    { EK_AD_SETTING, ADS, "Name",                          EK_AD_SETTING_NAME,  EV_TEXT },
    { EK_AD_SETTING, ADS, "Value",                         EK_AD_SETTING_VALUE, EV_TEXT },
    { EK_AD_SETTING_ERRORS, ADS, "UserSettingError",       EK_AD_SETTING_ERROR, EV_NONE },
    { EK_AD_SETTING_ERRORS, ADS, "DomainSettingError",     EK_AD_SETTING_ERROR, EV_NONE },
    { EK_AD_SETTING_ERROR, ADS, "ErrorCode",               EK_AD_ERROR_CODE,    EV_TEXT },
    { EK_AD_SETTING_ERROR, ADS, "ErrorMessage",            EK_AD_ERROR_MESSAGE, EV_TEXT },
    { EK_AD_SETTING_ERROR, ADS, "SettingName",             EK_AD_SETTING_NAME,  EV_TEXT },
    { EK_AD_TOKEN_ISSUERS, ADS, "TokenIssuer",             EK_AD_TOKEN_ISSUER,  EV_NONE },
    { EK_AD_TOKEN_ISSUER, ADS, "Uri",                      EK_AD_TOKEN_ISSUER_URI, EV_TEXT },
    { EK_AD_TOKEN_ISSUER, ADS, "Endpoint",                 EK_AD_TOKEN_ISSUER_ENDPOINT, EV_TEXT },
    { EK_AD_ORGREL, ADS,  "Name",                          EK_AD_ORGREL_NAME,   EV_TEXT },
    { EK_AD_ORGREL, ADS,  "DomainNames",                   EK_AD_DOMAINS,       EV_NONE },
    { EK_AD_ORGREL, ADS,  "FreeBusyAccessEnabled",         EK_AD_ORGREL_FB_ENABLED, EV_TEXT },
    { EK_AD_ORGREL, ADS,  "FreeBusyAccessLevel",           EK_AD_ORGREL_FB_LEVEL, EV_TEXT },
    { EK_AD_ORGREL, ADS,  "TargetApplicationUri",          EK_AD_ORGREL_TARGET_APP, EV_TEXT },
    { EK_AD_ORGREL, ADS,  "TargetAutodiscoverEpr",         EK_AD_ORGREL_TARGET_AUTODISCOVER, EV_TEXT },
    { EK_AD_ORGREL, ADS,  "TargetSharingEpr",              EK_AD_ORGREL_TARGET_SHARING, EV_TEXT },

    /* WS-Trust RST/RSTR (the federation gateway's delegation token) */
    { EK_WST_RST,   WST,  "AppliesTo",                     EK_WST_APPLIES_TO,   EV_NONE },
    { EK_WST_RST,   NSM_ANY, "AppliesTo",                  EK_WST_APPLIES_TO,   EV_NONE },
    { EK_WST_RST,   WST,  "TokenType",                     EK_WST_TOKEN_TYPE,   EV_TEXT },
    { EK_WST_RST,   WST,  "RequestType",                   EK_WST_REQUEST_TYPE, EV_TEXT },
    { EK_WST_RST,   WST,  "KeyType",                       EK_WST_KEY_TYPE,     EV_TEXT },
    { EK_WST_RST,   WST,  "Claims",                        EK_WST_CLAIMS,       EV_NONE },
    { EK_WST_RSTR,  WST,  "RequestSecurityTokenResponse",  EK_WST_RSTR,         EV_NONE },
    { EK_WST_RSTR,  NSM_ANY, "AppliesTo",                  EK_WST_APPLIES_TO,   EV_NONE },
    { EK_WST_RSTR,  WST,  "TokenType",                     EK_WST_TOKEN_TYPE,   EV_TEXT },
    { EK_WST_RSTR,  WST,  "Lifetime",                      EK_WST_LIFETIME,     EV_NONE },
    { EK_WST_APPLIES_TO, NSM_ANY, "EndpointReference",     EK_WST_EPR,          EV_NONE },
    { EK_WST_EPR,   NSM_ANY, "Address",                    EK_WST_ADDRESS,      EV_TEXT },
    { EK_WST_CLAIMS, NSM_ANY, "*",                         EK_WST_CLAIM_ELEM,   EV_NONE },
    { EK_WST_CLAIM_ELEM, ATTR, "@Uri",                     EK_WST_CLAIM,        EV_TEXT },
    { EK_WST_LIFETIME, NSM_ANY, "Expires",                 EK_WST_EXPIRES,      EV_TEXT },

    /* SOAP 1.1 fault: unqualified children; SOAP 1.2: Code/Value, Reason/Text, Node, Detail */
    { EK_FAULT,     NONE_OR_SOAP, "faultcode",             EK_FAULT_CODE,       EV_TEXT },
    { EK_FAULT,     NONE_OR_SOAP, "faultstring",           EK_FAULT_STRING,     EV_TEXT },
    { EK_FAULT,     NONE_OR_SOAP, "faultactor",            EK_FAULT_ACTOR,      EV_TEXT },
    { EK_FAULT,     NONE_OR_SOAP, "detail",                EK_FAULT_DETAIL,     EV_NONE },
    { EK_FAULT,     SOAP, "Code",                          EK_FAULT12_CODE,     EV_NONE },
    { EK_FAULT,     SOAP, "Reason",                        EK_FAULT12_REASON,   EV_NONE },
    { EK_FAULT,     SOAP, "Node",                          EK_FAULT_ACTOR,      EV_TEXT },
    { EK_FAULT,     SOAP, "Detail",                        EK_FAULT_DETAIL,     EV_NONE },
    { EK_FAULT12_CODE, SOAP, "Value",                      EK_FAULT_CODE,       EV_TEXT },
    { EK_FAULT12_CODE, SOAP, "Subcode",                    EK_FAULT12_SUBCODE,  EV_NONE },
    { EK_FAULT12_SUBCODE, SOAP, "Value",                   EK_FAULT_CODE,       EV_TEXT },
    { EK_FAULT12_REASON, SOAP, "Text",                     EK_FAULT_STRING,     EV_TEXT },
    { EK_FAULT_DETAIL, EWS, "ResponseCode",                EK_FAULT_RESPONSE_CODE, EV_TEXT },
    { EK_FAULT_DETAIL, EWS, "ErrorCode",                   EK_FAULT_ERROR_CODE, EV_TEXT },
    { EK_FAULT_DETAIL, EWS, "Message",                     EK_FAULT_MESSAGE,    EV_TEXT },
    { EK_FAULT_DETAIL, EWS, "ExceptionType",               EK_EXC_TYPE,         EV_TEXT },
    { EK_FAULT_DETAIL, EWS, "MessageXml",                  EK_MESSAGE_XML,      EV_NONE },
};

static struct {
    guint16 first, count;
} by_parent[EK__COUNT];
static gboolean indexed;

static void
index_rules(void)
{
    /* Each parent's rules must be contiguous; a table edit that breaks this is a bug. */
    for (gsize i = 0; i < G_N_ELEMENTS(rules); i++) {
        ews_kind_t p = rules[i].parent;
        if (by_parent[p].count == 0) {
            by_parent[p].first = (guint16)i;
        } else {
            g_assert(by_parent[p].first + by_parent[p].count == i);
        }
        by_parent[p].count++;
    }
    indexed = TRUE;
}

const ews_rule_t *
ews_rules_for(ews_kind_t parent, gsize *count)
{
    if (!indexed)
        index_rules();
    if (parent >= EK__COUNT) {
        *count = 0;
        return NULL;
    }
    *count = by_parent[parent].count;
    return &rules[by_parent[parent].first];
}
