/* ews-fields.h
 * Field, subtree and expert registrations of the "ews" protocol.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_FIELDS_H
#define EWS_FIELDS_H

#include <epan/packet.h>
#include <epan/expert.h>
#include "ews-soap-schema.h"

/* One field (hf) and one subtree (ett) per decoded item kind; -1 where a kind has none.
 * A kind with neither is transparent: its children render under its parent. */
extern int  hf_kind[EK__COUNT];
extern gint ett_kind[EK__COUNT];

/* Fields that are not one element of the body. */
extern int hf_ews_operation;
extern int hf_ews_operation_code;
extern int hf_ews_message_type;
extern int hf_ews_soap_version;
extern int hf_ews_soapaction;
extern int hf_ews_mailbox_count;
extern int hf_ews_response_index;
extern int hf_ews_backoff;
extern int hf_ews_h2_completed;
extern int hf_ews_request_in;
extern int hf_ews_response_in;
extern int hf_ews_response_time;
extern int hf_ews_ssc_form;
extern int hf_ews_wsse_kind;
extern int hf_ews_error_outer;
extern int hf_ews_error_level;
extern int hf_ews_error_inner;
extern int hf_ews_error_origin;
extern int hf_ews_fb_slot_count;
extern int hf_ews_fb_run;
extern int hf_ews_fb_schema;
extern int hf_ews_bad_value;
extern int hf_ews_server_version;

extern gint ett_ews;
extern gint ett_ews_error_chain;
extern gint ett_ews_fb_runs;

extern expert_field ei_ews_malformed;
extern expert_field ei_ews_doctype;
extern expert_field ei_ews_entity_literal;
extern expert_field ei_ews_too_large;
extern expert_field ei_ews_limit;
extern expert_field ei_ews_charset;
extern expert_field ei_ews_bad_value;
extern expert_field ei_ews_response_error;
extern expert_field ei_ews_response_warning;
extern expert_field ei_ews_soap_fault;
extern expert_field ei_ews_too_many_mailboxes;
extern expert_field ei_ews_no_request;
extern expert_field ei_ews_count_mismatch;
extern expert_field ei_ews_fb_length;
extern expert_field ei_ews_backoff;
extern expert_field ei_ews_h2_completed;

void ews_register_fields(int proto);

#endif
