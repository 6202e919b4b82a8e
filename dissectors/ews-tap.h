/* ews-tap.h
 * The contract between the "ews" protocol and its tap listeners (Service Response Time).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWS_TAP_H
#define EWS_TAP_H

#include <epan/value_string.h>
#include <wsutil/nstime.h>

/* The operations, as numbers: ews.operation_code, and the rows of Service Response Time. */
typedef enum {
    EWS_OP_GUA, EWS_OP_GUA_INTERNAL, EWS_OP_AUTODISCOVER, EWS_OP_GET_USER_SETTINGS, EWS_OP_GET_DOMAIN_SETTINGS,
    EWS_OP_GET_FEDERATION_INFORMATION, EWS_OP_GET_ORGREL_SETTINGS, EWS_OP_REQUEST_SECURITY_TOKEN, EWS_OP__COUNT
} ews_op_t;
extern const value_string ews_op_vals[];

/* What the "ews" tap hands its listeners: one per decoded response or fault paired with its request. */
typedef struct {
    ews_op_t op;
    guint32  request_frame;
    nstime_t request_time;
} ews_tap_info_t;

#endif
