/* ews-fields.c
 * Every filterable field of the "ews" protocol. The per-kind entries use the
 * decoded-item kind as index, so the table below is also the map from schema
 * kind to field.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ews-fields.h"
#include "packet-ews.h"

int  hf_kind[EK__COUNT];
gint ett_kind[EK__COUNT];

int hf_ews_operation = -1;
int hf_ews_operation_code = -1;
int hf_ews_message_type = -1;
int hf_ews_soap_version = -1;
int hf_ews_soapaction = -1;
int hf_ews_mailbox_count = -1;
int hf_ews_response_index = -1;
int hf_ews_backoff = -1;
int hf_ews_h2_completed = -1;
int hf_ews_request_in = -1;
int hf_ews_response_in = -1;
int hf_ews_response_time = -1;
int hf_ews_ssc_form = -1;
int hf_ews_wsse_kind = -1;
int hf_ews_error_outer = -1;
int hf_ews_error_level = -1;
int hf_ews_error_inner = -1;
int hf_ews_error_origin = -1;
int hf_ews_fb_slot_count = -1;
int hf_ews_fb_run = -1;
int hf_ews_fb_schema = -1;
int hf_ews_bad_value = -1;
int hf_ews_server_version = -1;

gint ett_ews = -1;
gint ett_ews_error_chain = -1;
gint ett_ews_fb_runs = -1;

expert_field ei_ews_malformed = EI_INIT;
expert_field ei_ews_doctype = EI_INIT;
expert_field ei_ews_entity_literal = EI_INIT;
expert_field ei_ews_too_large = EI_INIT;
expert_field ei_ews_limit = EI_INIT;
expert_field ei_ews_charset = EI_INIT;
expert_field ei_ews_bad_value = EI_INIT;
expert_field ei_ews_response_error = EI_INIT;
expert_field ei_ews_response_warning = EI_INIT;
expert_field ei_ews_soap_fault = EI_INIT;
expert_field ei_ews_too_many_mailboxes = EI_INIT;
expert_field ei_ews_no_request = EI_INIT;
expert_field ei_ews_count_mismatch = EI_INIT;
expert_field ei_ews_fb_length = EI_INIT;
expert_field ei_ews_backoff = EI_INIT;
expert_field ei_ews_h2_completed = EI_INIT;

#define K(kind)  &hf_kind[kind]
#define STR(name, abbr, blurb)   { name, abbr, FT_STRING, BASE_NONE, NULL, 0x0, blurb, HFILL }
#define NONE(name, abbr, blurb)  { name, abbr, FT_NONE, BASE_NONE, NULL, 0x0, blurb, HFILL }
#define BOOL(name, abbr, blurb)  { name, abbr, FT_BOOLEAN, BASE_NONE, NULL, 0x0, blurb, HFILL }
#define U32(name, abbr, blurb)   { name, abbr, FT_UINT32, BASE_DEC, NULL, 0x0, blurb, HFILL }
#define I32(name, abbr, blurb)   { name, abbr, FT_INT32, BASE_DEC, NULL, 0x0, blurb, HFILL }

/* Kinds whose item is a subtree (containers, and markers with children). */
static const ews_kind_t subtree_kinds[] = {
    EK_ENVELOPE, EK_JSON_MESSAGE, EK_HEADER, EK_BODY, EK_GUA_REQUEST, EK_GUA_RESPONSE,
    EK_TIMEZONE, EK_TZ_STANDARD, EK_TZ_DAYLIGHT,
    EK_MAILBOX_DATA_ARRAY, EK_MAILBOX_DATA, EK_EMAIL, EK_FB_VIEW_OPTIONS, EK_TIME_WINDOW,
    EK_SUGG_VIEW_OPTIONS, EK_SUGG_DETAILED_WINDOW,
    EK_FB_RESPONSE_ARRAY, EK_FB_RESPONSE, EK_RESPONSE_MESSAGE, EK_MESSAGE_XML, EK_MSGXML_VALUE,
    EK_MESSAGE_TEXT, EK_MERGED_FB,
    EK_FB_VIEW, EK_CAL_EVENT_ARRAY, EK_CAL_EVENT, EK_CAL_DETAILS, EK_WORKING_HOURS,
    EK_WORKING_PERIOD_ARRAY, EK_WORKING_PERIOD,
    EK_SUGG_RESPONSE, EK_SUGG_RESPONSE_MESSAGE, EK_SUGG_DAY_RESULT_ARRAY, EK_SUGG_DAY_RESULT, EK_SUGG_ARRAY, EK_SUGG,
    EK_SUGG_CONFLICT_ARRAY, EK_SUGG_CONFLICT,
    EK_TZ_CONTEXT, EK_TZ_DEFINITION, EK_IMPERSONATION, EK_IMP_CONNECTING_SID,
    EK_SSC, EK_SSC_GROUP_SIDS, EK_SSC_RESTRICTED_SIDS, EK_SSC_GROUP,
    EK_REQUEST_TYPE_HEADER, EK_SHARING_SECURITY, EK_ENCRYPTED_DATA, EK_WSA_REPLY_TO, EK_WSSE,
    EK_SERVER_VERSION_INFO, EK_FAULT, EK_FAULT_DETAIL,
    EK_AD_POX, EK_AD_REQUEST, EK_AD_RESPONSE, EK_AD_USER, EK_AD_ACCOUNT, EK_AD_PROTOCOL, EK_AD_ERROR,
    EK_AD_GUS_REQUEST, EK_AD_GUS_RESPONSE, EK_AD_GDS_REQUEST, EK_AD_GDS_RESPONSE, EK_AD_GFI_REQUEST,
    EK_AD_GFI_RESPONSE, EK_AD_GORS_REQUEST, EK_AD_GORS_RESPONSE, EK_AD_USERS, EK_AD_SOAP_USER,
    EK_AD_REQUESTED_SETTINGS, EK_AD_DOMAINS, EK_AD_USER_RESPONSES, EK_AD_USER_RESPONSE, EK_AD_SETTINGS,
    EK_AD_SETTING, EK_AD_SETTING_ERRORS, EK_AD_SETTING_ERROR, EK_AD_TOKEN_ISSUERS, EK_AD_TOKEN_ISSUER,
    EK_AD_ORGREL, EK_WST_RST, EK_WST_RSTR, EK_WST_APPLIES_TO, EK_WST_CLAIMS, EK_WST_LIFETIME,
};

static hf_register_info hf[] = {
    /* whole message */
    { &hf_ews_operation,     STR("Operation", "ews.operation", "EWS operation carried by this body") },
    { &hf_ews_operation_code, { "Operation code", "ews.operation_code", FT_UINT8, BASE_DEC, VALS(ews_op_vals), 0x0,
        "The operation as a number (Service Response Time's Index)", HFILL } },
    { &hf_ews_message_type,  STR("Message type", "ews.message_type", "request, response or fault") },
    { &hf_ews_soap_version,  STR("SOAP version", "ews.soap_version", NULL) },
    { &hf_ews_soapaction,    STR("SOAPAction", "ews.soapaction", "SOAPAction HTTP header (or SOAP 1.2 action parameter)") },
    { &hf_ews_mailbox_count, U32("Mailboxes", "ews.mailbox_count", "MailboxData elements in the request, FreeBusyResponse elements in the response") },
    { &hf_ews_request_in,    { "Request in frame", "ews.request_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The request this response answers", HFILL } },
    { &hf_ews_response_in,   { "Response in frame", "ews.response_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "The response to this request (GUI and tshark -2 only)", HFILL } },
    { &hf_ews_response_time, { "Response time", "ews.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0, "Time from the request to this response", HFILL } },

    /* SOAP framing */
    { K(EK_ENVELOPE),        NONE("Envelope", "ews.envelope", NULL) },
    { K(EK_JSON_MESSAGE),    NONE("OWA JSON", "ews.json", "Outlook on the web's JSON form of the operation") },
    { K(EK_HEADER),          NONE("Header", "ews.soap_header", "SOAP Header, or the JSON message's Header") },
    { K(EK_BODY),            NONE("Body", "ews.soap_body", "SOAP Body, or the JSON message's Body") },
    { K(EK_GUA_REQUEST),     NONE("GetUserAvailabilityRequest", "ews.request", NULL) },
    { K(EK_GUA_RESPONSE),    NONE("GetUserAvailabilityResponse", "ews.response", NULL) },

    /* SerializableTimeZone */
    { K(EK_TIMEZONE),        NONE("TimeZone", "ews.timezone", "Legacy bias-based time zone (UTC = local + Bias)") },
    { K(EK_TZ_BIAS),         I32("Bias (minutes)", "ews.timezone.bias", NULL) },
    { K(EK_TZ_STANDARD),     NONE("StandardTime", "ews.timezone.standard", NULL) },
    { K(EK_TZ_DAYLIGHT),     NONE("DaylightTime", "ews.timezone.daylight", NULL) },
    { K(EK_TZT_BIAS),        I32("Bias (minutes)", "ews.timezone.transition.bias", NULL) },
    { K(EK_TZT_TIME),        STR("Time", "ews.timezone.transition.time", NULL) },
    { K(EK_TZT_DAYORDER),    I32("DayOrder", "ews.timezone.transition.day_order", NULL) },
    { K(EK_TZT_MONTH),       I32("Month", "ews.timezone.transition.month", NULL) },
    { K(EK_TZT_DAYOFWEEK),   STR("DayOfWeek", "ews.timezone.transition.day_of_week", NULL) },
    { K(EK_TZT_YEAR),        STR("Year", "ews.timezone.transition.year", NULL) },

    /* request body */
    { K(EK_MAILBOX_DATA_ARRAY), NONE("MailboxDataArray", "ews.mailbox_data_array", NULL) },
    { K(EK_MAILBOX_DATA),    NONE("MailboxData", "ews.mailbox_data", NULL) },
    { K(EK_EMAIL),           NONE("Email", "ews.email", NULL) },
    { K(EK_EMAIL_NAME),      STR("Name", "ews.mailbox.name", NULL) },
    { K(EK_EMAIL_ADDRESS),   STR("Mailbox", "ews.mailbox", "Mailbox address asked about (MailboxData/Email/Address); also on the FreeBusyResponse that answers it") },
    { K(EK_EMAIL_ROUTING_TYPE), STR("RoutingType", "ews.mailbox.routing_type", NULL) },
    { K(EK_ATTENDEE_TYPE),   STR("AttendeeType", "ews.mailbox.attendee_type", NULL) },
    { K(EK_EXCLUDE_CONFLICTS), BOOL("ExcludeConflicts", "ews.mailbox.exclude_conflicts", NULL) },
    { K(EK_FB_VIEW_OPTIONS), NONE("FreeBusyViewOptions", "ews.view_options", NULL) },
    { K(EK_TIME_WINDOW),     NONE("TimeWindow", "ews.window", NULL) },
    { K(EK_START_TIME),      STR("StartTime", "ews.window.start", NULL) },
    { K(EK_END_TIME),        STR("EndTime", "ews.window.end", NULL) },
    { K(EK_MERGED_INTERVAL), U32("MergedFreeBusyIntervalInMinutes", "ews.interval", NULL) },
    { K(EK_REQUESTED_VIEW),  STR("RequestedView", "ews.view.requested", "One item per xs:list token") },
    { K(EK_SUGG_VIEW_OPTIONS), NONE("SuggestionsViewOptions", "ews.suggestions_options", NULL) },
    { K(EK_SUGG_GOOD_THRESHOLD), I32("GoodThreshold", "ews.suggestions_options.good_threshold", NULL) },
    { K(EK_SUGG_MAX_RESULTS), I32("MaximumResultsByDay", "ews.suggestions_options.max_results_by_day", NULL) },
    { K(EK_SUGG_MAX_NONWORK), I32("MaximumNonWorkHourResultsByDay", "ews.suggestions_options.max_nonwork_results_by_day", NULL) },
    { K(EK_SUGG_DURATION),   I32("MeetingDurationInMinutes", "ews.suggestions_options.meeting_duration", NULL) },
    { K(EK_SUGG_MIN_QUALITY), STR("MinimumSuggestionQuality", "ews.suggestions_options.min_quality", NULL) },
    { K(EK_SUGG_DETAILED_WINDOW), NONE("DetailedSuggestionsWindow", "ews.suggestions_options.window", NULL) },
    { K(EK_SUGG_WINDOW_START), STR("StartTime", "ews.suggestions_options.window.start", NULL) },
    { K(EK_SUGG_WINDOW_END),  STR("EndTime", "ews.suggestions_options.window.end", NULL) },
    { K(EK_SUGG_CURRENT_MEETING_TIME), STR("CurrentMeetingTime", "ews.suggestions_options.current_meeting_time", NULL) },
    { K(EK_SUGG_GLOBAL_OBJECT_ID), STR("GlobalObjectId", "ews.suggestions_options.global_object_id", NULL) },

    /* response body */
    { K(EK_FB_RESPONSE_ARRAY), NONE("FreeBusyResponseArray", "ews.freebusy_response_array", NULL) },
    { K(EK_FB_RESPONSE),     NONE("FreeBusyResponse", "ews.freebusy_response", NULL) },
    { K(EK_RESPONSE_MESSAGE), NONE("ResponseMessage", "ews.response_message", NULL) },
    { K(EK_RESPONSE_CLASS),  STR("ResponseClass", "ews.response.class", "Success, Warning or Error: one per mailbox on a response, aligned with ews.mailbox (empty when the response has none)") },
    { K(EK_MESSAGE_TEXT),    STR("MessageText", "ews.response.text", NULL) },
    { K(EK_RESPONSE_CODE),   STR("ResponseCode", "ews.response.code", "FreeBusyResponse/ResponseMessage/ResponseCode: one per mailbox, aligned with ews.mailbox (empty when absent)") },
    { K(EK_DESCRIPTIVE_LINK_KEY), I32("DescriptiveLinkKey", "ews.response.descriptive_link_key", NULL) },
    { K(EK_MESSAGE_XML),     NONE("MessageXml", "ews.error", NULL) },
    { K(EK_EXC_TYPE),        STR("ExceptionType", "ews.error.exception_type", NULL) },
    { K(EK_EXC_CODE),        U32("ExceptionCode", "ews.error.exception_code", "Availability error number (5000-5047)") },
    { K(EK_EXC_MESSAGE),     STR("ExceptionMessage", "ews.error.exception_message", NULL) },
    { K(EK_EXC_SERVER),      STR("ExceptionServerName", "ews.error.server", "Server where the exception was raised") },
    { K(EK_RESPONSE_SOURCE), STR("ResponseSource", "ews.error.response_source", "Next-hop URL: the error was relayed from a proxy hop") },
    { K(EK_MSGXML_VALUE),    STR("Value", "ews.error.value", NULL) },
    { K(EK_MSGXML_VALUE_NAME), STR("Name", "ews.error.value.name", NULL) },
    { K(EK_FB_VIEW),         NONE("FreeBusyView", "ews.freebusy_view", NULL) },
    { K(EK_FB_VIEW_TYPE),    STR("FreeBusyViewType", "ews.view.type", "One per mailbox, aligned with ews.mailbox (the xs:list whole, e.g. \"FreeBusy Merged\"; empty when absent)") },
    { K(EK_MERGED_FB),       STR("MergedFreeBusy", "ews.merged_freebusy", "One digit per interval slot") },
    { K(EK_CAL_EVENT_ARRAY), NONE("CalendarEventArray", "ews.events", NULL) },
    { K(EK_CAL_EVENT),       NONE("CalendarEvent", "ews.event", NULL) },
    { K(EK_EVENT_START),     STR("StartTime", "ews.event.start", NULL) },
    { K(EK_EVENT_END),       STR("EndTime", "ews.event.end", NULL) },
    { K(EK_BUSY_TYPE),       STR("BusyType", "ews.event.busy_type", NULL) },
    { K(EK_CAL_DETAILS),     NONE("CalendarEventDetails", "ews.event.details", NULL) },
    { K(EK_CAL_ID),          STR("ID", "ews.event.id", NULL) },
    { K(EK_CAL_SUBJECT),     STR("Subject", "ews.event.subject", NULL) },
    { K(EK_CAL_LOCATION),    STR("Location", "ews.event.location", NULL) },
    { K(EK_CAL_IS_MEETING),  BOOL("IsMeeting", "ews.event.is_meeting", NULL) },
    { K(EK_CAL_IS_RECURRING), BOOL("IsRecurring", "ews.event.is_recurring", NULL) },
    { K(EK_CAL_IS_EXCEPTION), BOOL("IsException", "ews.event.is_exception", NULL) },
    { K(EK_CAL_IS_REMINDER_SET), BOOL("IsReminderSet", "ews.event.is_reminder_set", NULL) },
    { K(EK_CAL_IS_PRIVATE),  BOOL("IsPrivate", "ews.event.is_private", NULL) },
    { K(EK_WORKING_HOURS),   NONE("WorkingHours", "ews.working_hours", NULL) },
    { K(EK_WORKING_PERIOD_ARRAY), NONE("WorkingPeriodArray", "ews.working_hours.periods", NULL) },
    { K(EK_WORKING_PERIOD),  NONE("WorkingPeriod", "ews.working_hours.period", NULL) },
    { K(EK_WP_DAYS),         STR("DayOfWeek", "ews.working_hours.day", "One item per xs:list token") },
    { K(EK_WP_START),        U32("StartTimeInMinutes", "ews.working_hours.start", "Minutes after midnight") },
    { K(EK_WP_END),          U32("EndTimeInMinutes", "ews.working_hours.end", "Minutes after midnight") },
    { K(EK_SUGG_RESPONSE),   NONE("SuggestionsResponse", "ews.suggestions", NULL) },
    { K(EK_SUGG_RESPONSE_MESSAGE), NONE("ResponseMessage", "ews.suggestions.response_message", NULL) },
    { K(EK_SUGG_RESULT_CLASS), STR("ResponseClass", "ews.suggestions.response.class", "The suggestions' own result (not a mailbox's)") },
    { K(EK_SUGG_RESULT_CODE), STR("ResponseCode", "ews.suggestions.response.code", "The suggestions' own result (not a mailbox's)") },
    { K(EK_OWA_RESULT_CLASS), STR("ResponseClass", "ews.owa.response.class", "OWA's envelope result for the request as a whole (Body.ResponseClass)") },
    { K(EK_OWA_RESULT_CODE), STR("ResponseCode", "ews.owa.response.code", "OWA's envelope result for the request as a whole (Body.ResponseCode)") },
    { K(EK_SUGG_DAY_RESULT_ARRAY), NONE("SuggestionDayResultArray", "ews.suggestions.days", NULL) },
    { K(EK_SUGG_DAY_RESULT), NONE("SuggestionDayResult", "ews.suggestions.day", NULL) },
    { K(EK_SUGG_DATE),       STR("Date", "ews.suggestions.date", NULL) },
    { K(EK_SUGG_DAY_QUALITY), STR("DayQuality", "ews.suggestions.day_quality", NULL) },
    { K(EK_SUGG_ARRAY),      NONE("SuggestionArray", "ews.suggestions.list", NULL) },
    { K(EK_SUGG),            NONE("Suggestion", "ews.suggestion", NULL) },
    { K(EK_SUGG_MEETING_TIME), STR("MeetingTime", "ews.suggestion.time", NULL) },
    { K(EK_SUGG_IS_WORK_TIME), BOOL("IsWorkTime", "ews.suggestion.is_work_time", NULL) },
    { K(EK_SUGG_QUALITY),    STR("SuggestionQuality", "ews.suggestion.quality", NULL) },
    { K(EK_SUGG_CONFLICT_ARRAY), NONE("AttendeeConflictDataArray", "ews.suggestion.conflicts", NULL) },
    { K(EK_SUGG_CONFLICT),   STR("Attendee conflict", "ews.suggestion.conflict", "Kind of conflict data element") },
    { K(EK_SUGG_MEMBERS),    I32("NumberOfMembers", "ews.suggestion.conflict.members", NULL) },
    { K(EK_SUGG_MEMBERS_AVAILABLE), I32("NumberOfMembersAvailable", "ews.suggestion.conflict.members_available", NULL) },
    { K(EK_SUGG_MEMBERS_CONFLICT), I32("NumberOfMembersWithConflict", "ews.suggestion.conflict.members_with_conflict", NULL) },
    { K(EK_SUGG_MEMBERS_NODATA), I32("NumberOfMembersWithNoData", "ews.suggestion.conflict.members_with_no_data", NULL) },

    /* SOAP headers */
    { K(EK_RSV_VERSION),     STR("RequestServerVersion", "ews.hdr.request_server_version", "Exchange2009/Exchange2012 are only sent by Exchange servers proxying") },
    { K(EK_TZ_CONTEXT),      NONE("TimeZoneContext", "ews.hdr.timezone_context", NULL) },
    { K(EK_TZ_DEFINITION),   NONE("TimeZoneDefinition", "ews.hdr.timezone_definition", NULL) },
    { K(EK_TZ_DEFINITION_ID), STR("TimeZoneDefinition Id", "ews.hdr.timezone_id", NULL) },
    { K(EK_TZ_DEFINITION_NAME), STR("TimeZoneDefinition Name", "ews.hdr.timezone_name", NULL) },
    { K(EK_IMPERSONATION),   NONE("ExchangeImpersonation", "ews.hdr.impersonation", NULL) },
    { K(EK_IMP_CONNECTING_SID), NONE("ConnectingSID", "ews.hdr.impersonation.connecting_sid", NULL) },
    { K(EK_IMP_PRINCIPAL),   STR("PrincipalName", "ews.hdr.impersonation.principal", NULL) },
    { K(EK_IMP_SID),         STR("SID", "ews.hdr.impersonation.sid", NULL) },
    { K(EK_IMP_SMTP),        STR("SMTP address", "ews.hdr.impersonation.smtp", NULL) },
    { K(EK_SSC),             BOOL("SerializedSecurityContext", "ews.hdr.serialized_security_context", "Requester's security context serialized by a proxying server") },
    { K(EK_SSC_USER_SID),    STR("UserSid", "ews.hdr.ssc.user_sid", NULL) },
    { K(EK_SSC_GROUP_SIDS),  NONE("GroupSids", "ews.hdr.ssc.group_sids", NULL) },
    { K(EK_SSC_RESTRICTED_SIDS), NONE("RestrictedGroupSids", "ews.hdr.ssc.restricted_group_sids", NULL) },
    { K(EK_SSC_GROUP),       NONE("Group", "ews.hdr.ssc.group", NULL) },
    { K(EK_SSC_GROUP_ATTRS), { "Attributes", "ews.hdr.ssc.group.attributes", FT_UINT32, BASE_HEX, NULL, 0x0, "SID attribute flags", HFILL } },
    { K(EK_SSC_SID),         STR("SecurityIdentifier", "ews.hdr.ssc.group.sid", NULL) },
    { K(EK_SSC_PRIMARY_SMTP), STR("PrimarySmtpAddress", "ews.hdr.ssc.primary_smtp", NULL) },
    { K(EK_REQUEST_TYPE_HEADER), NONE("RequestTypeHeader", "ews.hdr.request_type_header", NULL) },
    { K(EK_REQUEST_TYPE),    STR("RequestType", "ews.hdr.request_type", "CrossSite or CrossForest: an availability proxy hop") },
    { K(EK_SHARING_SECURITY), BOOL("SharingSecurity", "ews.hdr.sharing_security", "Encrypted sharing key: only sent on personal (sharing subscription) lookups") },
    { K(EK_ENCRYPTED_DATA),  NONE("EncryptedData", "ews.hdr.encrypted_data", NULL) },
    { K(EK_ENCRYPTED_DATA_TYPE), STR("Type", "ews.hdr.encrypted_data.type", NULL) },
    { K(EK_WSA_MESSAGE_ID),  STR("MessageID", "ews.hdr.message_id", "WS-Addressing MessageID: kept unchanged across proxy hops") },
    { K(EK_WSA_ACTION),      STR("Action", "ews.hdr.wsa_action", NULL) },
    { K(EK_WSA_TO),          STR("To", "ews.hdr.wsa_to", NULL) },
    { K(EK_WSA_REPLY_TO),    NONE("ReplyTo", "ews.hdr.wsa_reply_to", NULL) },
    { K(EK_WSA_ADDRESS),     STR("Address", "ews.hdr.wsa_reply_to.address", NULL) },
    { K(EK_WSSE),            BOOL("WS-Security", "ews.hdr.wsse", "WS-Security header: a federated (delegation token) request") },
    { K(EK_WSSE_TOKEN),      STR("Token element", "ews.hdr.wsse.token", "Child elements of the Security header") },
    { K(EK_PROXY_SECURITY_CONTEXT), BOOL("ProxySecurityContext", "ews.hdr.proxy_security_context", NULL) },
    { K(EK_PROXY_SUGGESTER_SID), BOOL("ProxySuggesterSid", "ews.hdr.proxy_suggester_sid", NULL) },
    { K(EK_PROXY_PARTNER_TOKEN), BOOL("ProxyPartnerToken", "ews.hdr.proxy_partner_token", NULL) },
    { K(EK_SERVER_VERSION_INFO), NONE("ServerVersionInfo", "ews.hdr.server_version_info", NULL) },
    { K(EK_SVI_MAJOR),       U32("MajorVersion", "ews.hdr.server_version_info.major", NULL) },
    { K(EK_SVI_MINOR),       U32("MinorVersion", "ews.hdr.server_version_info.minor", NULL) },
    { K(EK_SVI_MAJOR_BUILD), U32("MajorBuildNumber", "ews.hdr.server_version_info.major_build", NULL) },
    { K(EK_SVI_MINOR_BUILD), U32("MinorBuildNumber", "ews.hdr.server_version_info.minor_build", NULL) },
    { K(EK_SVI_VERSION),     STR("Version", "ews.hdr.server_version_info.version", NULL) },
    { K(EK_MAILBOX_CULTURE), STR("MailboxCulture", "ews.hdr.mailbox_culture", NULL) },
    { K(EK_DATETIME_PRECISION), STR("DateTimePrecision", "ews.hdr.datetime_precision", NULL) },

    /* Autodiscover */
    { K(EK_AD_POX),          NONE("Autodiscover (POX)", "ews.autodiscover", NULL) },
    { K(EK_AD_REQUEST),      NONE("Request", "ews.autodiscover.request", NULL) },
    { K(EK_AD_EMAIL),        STR("Email address", "ews.autodiscover.email", "Address Autodiscover is asked about (EMailAddress, or SOAP User/Mailbox)") },
    { K(EK_AD_SCHEMA),       STR("AcceptableResponseSchema", "ews.autodiscover.response_schema", NULL) },
    { K(EK_AD_RESPONSE),     NONE("Response", "ews.autodiscover.response", NULL) },
    { K(EK_AD_USER),         NONE("User", "ews.autodiscover.user", NULL) },
    { K(EK_AD_DISPLAY_NAME), STR("DisplayName", "ews.autodiscover.display_name", NULL) },
    { K(EK_AD_LEGACY_DN),    STR("LegacyDN", "ews.autodiscover.legacy_dn", NULL) },
    { K(EK_AD_DEPLOYMENT_ID), STR("DeploymentId", "ews.autodiscover.deployment_id", NULL) },
    { K(EK_AD_SMTP),         STR("AutoDiscoverSMTPAddress", "ews.autodiscover.smtp", NULL) },
    { K(EK_AD_ACCOUNT),      NONE("Account", "ews.autodiscover.account", NULL) },
    { K(EK_AD_ACCOUNT_TYPE), STR("AccountType", "ews.autodiscover.account_type", NULL) },
    { K(EK_AD_ACTION),       STR("Action", "ews.autodiscover.action", "settings, redirectAddr or redirectUrl") },
    { K(EK_AD_REDIRECT_ADDR), STR("RedirectAddr", "ews.autodiscover.redirect_addr", NULL) },
    { K(EK_AD_REDIRECT_URL), STR("RedirectUrl", "ews.autodiscover.redirect_url", NULL) },
    { K(EK_AD_PROTOCOL),     NONE("Protocol", "ews.autodiscover.protocol", NULL) },
    { K(EK_AD_PROTO_TYPE),   STR("Type", "ews.autodiscover.protocol.type", "EXCH, EXPR, WEB...") },
    { K(EK_AD_SERVER),       STR("Server", "ews.autodiscover.protocol.server", NULL) },
    { K(EK_AD_SERVER_VERSION), STR("ServerVersion", "ews.autodiscover.protocol.server_version", NULL) },
    { K(EK_AD_AS_URL),       STR("ASUrl", "ews.autodiscover.as_url", "Availability service URL: where an address-space proxy hop goes next") },
    { K(EK_AD_EWS_URL),      STR("EwsUrl", "ews.autodiscover.ews_url", NULL) },
    { K(EK_AD_EXTERNAL_EWS_URL), STR("ExternalEwsUrl", "ews.autodiscover.external_ews_url", NULL) },
    { K(EK_AD_OOF_URL),      STR("OOFUrl", "ews.autodiscover.oof_url", NULL) },
    { K(EK_AD_ERROR),        NONE("Error", "ews.autodiscover.error", NULL) },
    { K(EK_AD_ERROR_CODE),   STR("ErrorCode", "ews.autodiscover.error_code", NULL) },
    { K(EK_AD_ERROR_MESSAGE), STR("Error message", "ews.autodiscover.error_message", NULL) },
    { K(EK_AD_GUS_REQUEST),  NONE("GetUserSettings request", "ews.autodiscover.get_user_settings", NULL) },
    { K(EK_AD_GUS_RESPONSE), NONE("GetUserSettings response", "ews.autodiscover.get_user_settings_response", NULL) },
    { K(EK_AD_GDS_REQUEST),  NONE("GetDomainSettings request", "ews.autodiscover.get_domain_settings", NULL) },
    { K(EK_AD_GDS_RESPONSE), NONE("GetDomainSettings response", "ews.autodiscover.get_domain_settings_response", NULL) },
    { K(EK_AD_GFI_REQUEST),  NONE("GetFederationInformation request", "ews.autodiscover.get_federation_information", NULL) },
    { K(EK_AD_GFI_RESPONSE), NONE("GetFederationInformation response", "ews.autodiscover.get_federation_information_response", NULL) },
    { K(EK_AD_GORS_REQUEST), NONE("GetOrganizationRelationshipSettings request", "ews.autodiscover.get_org_relationship_settings", NULL) },
    { K(EK_AD_GORS_RESPONSE), NONE("GetOrganizationRelationshipSettings response", "ews.autodiscover.get_org_relationship_settings_response", NULL) },
    { K(EK_AD_USERS),        NONE("Users", "ews.autodiscover.users", NULL) },
    { K(EK_AD_SOAP_USER),    NONE("User", "ews.autodiscover.users.user", NULL) },
    { K(EK_AD_REQUESTED_SETTINGS), NONE("RequestedSettings", "ews.autodiscover.requested_settings", NULL) },
    { K(EK_AD_REQUESTED_SETTING), STR("Setting", "ews.autodiscover.requested_setting", NULL) },
    { K(EK_AD_REQUESTED_VERSION), STR("RequestedVersion", "ews.autodiscover.requested_version", NULL) },
    { K(EK_AD_DOMAINS),      NONE("Domains", "ews.autodiscover.domains", NULL) },
    { K(EK_AD_DOMAIN),       STR("Domain", "ews.autodiscover.domain", NULL) },
    { K(EK_AD_USER_RESPONSES), NONE("Responses", "ews.autodiscover.responses", NULL) },
    { K(EK_AD_USER_RESPONSE), NONE("Response", "ews.autodiscover.user_response", NULL) },
    { K(EK_AD_SETTINGS),     NONE("Settings", "ews.autodiscover.settings", NULL) },
    { K(EK_AD_SETTING),      NONE("Setting", "ews.autodiscover.setting", NULL) },
    { K(EK_AD_SETTING_NAME), STR("Name", "ews.autodiscover.setting.name", NULL) },
    { K(EK_AD_SETTING_VALUE), STR("Value", "ews.autodiscover.setting.value", NULL) },
    { K(EK_AD_SETTING_ERRORS), NONE("Setting errors", "ews.autodiscover.setting_errors", NULL) },
    { K(EK_AD_SETTING_ERROR), NONE("Setting error", "ews.autodiscover.setting_error", NULL) },
    { K(EK_AD_REDIRECT_TARGET), STR("RedirectTarget", "ews.autodiscover.redirect_target", NULL) },
    { K(EK_AD_APPLICATION_URI), STR("ApplicationUri", "ews.autodiscover.application_uri", NULL) },
    { K(EK_AD_TOKEN_ISSUERS), NONE("TokenIssuers", "ews.autodiscover.token_issuers", NULL) },
    { K(EK_AD_TOKEN_ISSUER), NONE("TokenIssuer", "ews.autodiscover.token_issuer", NULL) },
    { K(EK_AD_TOKEN_ISSUER_URI), STR("Uri", "ews.autodiscover.token_issuer.uri", NULL) },
    { K(EK_AD_TOKEN_ISSUER_ENDPOINT), STR("Endpoint", "ews.autodiscover.token_issuer.endpoint", NULL) },
    { K(EK_AD_ORGREL),       NONE("OrganizationRelationshipSettings", "ews.autodiscover.org_relationship", NULL) },
    { K(EK_AD_ORGREL_NAME),  STR("Name", "ews.autodiscover.org_relationship.name", NULL) },
    { K(EK_AD_ORGREL_FB_ENABLED), BOOL("FreeBusyAccessEnabled", "ews.autodiscover.org_relationship.freebusy_enabled", NULL) },
    { K(EK_AD_ORGREL_FB_LEVEL), STR("FreeBusyAccessLevel", "ews.autodiscover.org_relationship.freebusy_level", NULL) },
    { K(EK_AD_ORGREL_TARGET_APP), STR("TargetApplicationUri", "ews.autodiscover.org_relationship.target_application_uri", NULL) },
    { K(EK_AD_ORGREL_TARGET_AUTODISCOVER), STR("TargetAutodiscoverEpr", "ews.autodiscover.org_relationship.target_autodiscover_epr", NULL) },
    { K(EK_AD_ORGREL_TARGET_SHARING), STR("TargetSharingEpr", "ews.autodiscover.org_relationship.target_sharing_epr", NULL) },

    /* WS-Trust */
    { K(EK_WST_RST),         NONE("WS-Trust RequestSecurityToken", "ews.wstrust.request", "A delegation-token request to the federation gateway") },
    { K(EK_WST_RSTR),        NONE("WS-Trust RequestSecurityTokenResponse", "ews.wstrust.response", NULL) },
    { K(EK_WST_APPLIES_TO),  NONE("AppliesTo", "ews.wstrust.applies_to", NULL) },
    { K(EK_WST_ADDRESS),     STR("Address", "ews.wstrust.applies_to.address", "The token's audience (the target organization's application URI)") },
    { K(EK_WST_TOKEN_TYPE),  STR("TokenType", "ews.wstrust.token_type", NULL) },
    { K(EK_WST_REQUEST_TYPE), STR("RequestType", "ews.wstrust.request_type", NULL) },
    { K(EK_WST_KEY_TYPE),    STR("KeyType", "ews.wstrust.key_type", NULL) },
    { K(EK_WST_CLAIMS),      NONE("Claims", "ews.wstrust.claims", NULL) },
    { K(EK_WST_CLAIM),       STR("Claim", "ews.wstrust.claim", "Offer or claim type asked for (e.g. MSExchange.SharingCalendarFreeBusy)") },
    { K(EK_WST_LIFETIME),    NONE("Lifetime", "ews.wstrust.lifetime", NULL) },
    { K(EK_WST_EXPIRES),     STR("Expires", "ews.wstrust.expires", NULL) },

    /* SOAP fault */
    { K(EK_FAULT),           NONE("SOAP Fault", "ews.fault", NULL) },
    { K(EK_FAULT_CODE),      STR("Fault code", "ews.fault.code", NULL) },
    { K(EK_FAULT_RESPONSE_CODE), STR("ResponseCode", "ews.fault.response_code", "A SOAP fault's detail/ResponseCode: the whole request failed (e.g. ErrorServerBusy)") },
    { K(EK_FAULT_STRING),    STR("Fault string", "ews.fault.string", NULL) },
    { K(EK_FAULT_ACTOR),     STR("Fault actor", "ews.fault.actor", NULL) },
    { K(EK_FAULT_DETAIL),    NONE("Fault detail", "ews.fault.detail", NULL) },
    { K(EK_FAULT_ERROR_CODE), STR("ErrorCode", "ews.fault.error_code", "Numeric availability error code") },
    { K(EK_FAULT_MESSAGE),   STR("Message", "ews.fault.message", NULL) },

    /* generated */
    { &hf_ews_h2_completed, U32("HTTP/2 body completed without END_STREAM", "ews.h2_completed",
        "HTTP/2 stream id of a body decoded once its content-length arrived (or its stream was reset), though END_STREAM never came") },
    { &hf_ews_backoff, U32("Back off (ms)", "ews.backoff_ms", "MessageXml Value BackOffMilliseconds: the server is throttling and asks the caller to wait this long") },
    { &hf_ews_response_index, U32("Index", "ews.freebusy_response.index", "Position in the response; the request's MailboxData at the same position is the mailbox it answers") },
    { &hf_ews_ssc_form,      STR("Form", "ews.hdr.ssc.form", "Which SerializedSecurityContext: the availability-proxy form (messages namespace) or the generic EWS S2S form (types namespace)") },
    { &hf_ews_wsse_kind,     STR("Token kind", "ews.hdr.wsse.kind", NULL) },
    { &hf_ews_error_outer,   STR("Outer message", "ews.error.outer", "MessageText before \", inner exception:\"") },
    { &hf_ews_error_level,   STR("Exception", "ews.error.chain", "One item per exception level, outermost first") },
    { &hf_ews_error_inner,   STR("Innermost exception", "ews.error.inner", "Deepest exception of the MessageText chain: usually the real cause") },
    { &hf_ews_error_origin,  STR("Originating server", "ews.error.origin_server", "From \"Name of the server where exception originated\"") },
    { &hf_ews_fb_slot_count, U32("Slots", "ews.merged_freebusy.slots", NULL) },
    { &hf_ews_fb_run,        STR("Slots", "ews.merged_freebusy.run", "Consecutive slots of one state, with their times when the request is known") },
    { &hf_ews_fb_schema,     STR("Digit 4 means", "ews.merged_freebusy.digit4", "Depends on the request's RequestServerVersion") },
    { &hf_ews_bad_value,     STR("Undecodable value", "ews.bad_value", NULL) },
    { &hf_ews_server_version, STR("Server version", "ews.hdr.server_version", "ServerVersionInfo as major.minor.build.revision") },
};

static ei_register_info ei[] = {
    { &ei_ews_malformed,   { "ews.malformed", PI_MALFORMED, PI_ERROR, "Malformed EWS body", EXPFILL } },
    { &ei_ews_doctype,     { "ews.doctype", PI_SECURITY, PI_WARN, "DOCTYPE in an EWS body: ignored, no entity expanded, nothing fetched", EXPFILL } },
    { &ei_ews_entity_literal, { "ews.entity_literal", PI_SECURITY, PI_NOTE, "Undeclared entity reference kept as written, not expanded", EXPFILL } },
    { &ei_ews_too_large,   { "ews.too_large", PI_UNDECODED, PI_WARN, "EWS body larger than the size limit: not decoded", EXPFILL } },
    { &ei_ews_limit,       { "ews.limit", PI_UNDECODED, PI_WARN, "Decoding limit reached: the rest of the body is not decoded", EXPFILL } },
    { &ei_ews_charset,     { "ews.charset", PI_MALFORMED, PI_WARN, "Unknown character set", EXPFILL } },
    { &ei_ews_bad_value,   { "ews.bad_value.expert", PI_MALFORMED, PI_WARN, "Value does not match its schema type", EXPFILL } },
    { &ei_ews_response_error, { "ews.response.error", PI_RESPONSE_CODE, PI_WARN, "Availability error for a mailbox", EXPFILL } },
    { &ei_ews_response_warning, { "ews.response.warning", PI_RESPONSE_CODE, PI_NOTE, "Availability warning for a mailbox", EXPFILL } },
    { &ei_ews_soap_fault,  { "ews.fault.expert", PI_RESPONSE_CODE, PI_ERROR, "SOAP fault: the whole request failed", EXPFILL } },
    { &ei_ews_too_many_mailboxes, { "ews.mailbox_count.too_many", PI_PROTOCOL, PI_WARN, "More than 100 mailboxes: Exchange answers ErrorMailboxDataArrayTooBig", EXPFILL } },
    { &ei_ews_no_request,  { "ews.request_in.missing", PI_SEQUENCE, PI_NOTE, "Request not in the capture: mailboxes and slot times unknown", EXPFILL } },
    { &ei_ews_count_mismatch, { "ews.mailbox_count.mismatch", PI_PROTOCOL, PI_WARN, "Number of FreeBusyResponses differs from the request's MailboxData", EXPFILL } },
    { &ei_ews_fb_length,   { "ews.merged_freebusy.length", PI_PROTOCOL, PI_NOTE, "MergedFreeBusy length differs from the window divided by the interval", EXPFILL } },
    { &ei_ews_h2_completed, { "ews.h2_completed.expert", PI_REASSEMBLE, PI_NOTE, "HTTP/2 body decoded without END_STREAM", EXPFILL } },
    { &ei_ews_backoff,     { "ews.backoff", PI_RESPONSE_CODE, PI_WARN, "Throttled: the server asked the caller to back off", EXPFILL } },
};

void
ews_register_fields(int proto)
{
    gint *ett[G_N_ELEMENTS(subtree_kinds) + 4];
    gsize n = 0;

    for (int k = 0; k < EK__COUNT; k++) {
        hf_kind[k] = -1;
        ett_kind[k] = -1;
    }
    ett[n++] = &ett_ews;
    ett[n++] = &ett_ews_error_chain;
    ett[n++] = &ett_ews_fb_runs;
    for (gsize i = 0; i < G_N_ELEMENTS(subtree_kinds); i++)
        ett[n++] = &ett_kind[subtree_kinds[i]];

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, (int)n);
    expert_module_t *em = expert_register_protocol(proto);
    expert_register_field_array(em, ei, array_length(ei));
}
