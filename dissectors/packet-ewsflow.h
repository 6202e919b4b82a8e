/* packet-ewsflow.h
 * The "ewsflow" post-dissector: routing path of every EWS/OWA/Autodiscover request, requests
 * killed by a TCP reset, and the story linking a client's lookup to the proxy hop it caused.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_EWSFLOW_H
#define PACKET_EWSFLOW_H

#include <epan/packet.h>
#include "ewsflow-tracker.h"

extern int proto_ewsflow;



/* What the "ewsflow" tap hands its listeners, per frame (lists may be NULL). */
typedef struct {
    wmem_list_t *started;    /* ewsflow_req_t*: requests that started or completed here */
    wmem_list_t *answered;   /* ewsflow_req_t*: answered here */
    wmem_list_t *killed;     /* ewsflow_req_t*: reset here */
    wmem_list_t *closed;     /* ewsflow_req_t*: left unanswered by a FIN here */
    wmem_list_t *stories;    /* ewsflow_story_t*: diagnoses written here */
} ewsflow_tap_info_t;


typedef struct {
    guint max_flows;      /* TCP flows with HTTP tracked per capture */
    guint max_requests;   /* HTTP requests tracked per capture */
    guint max_pending;    /* requests awaiting an answer followed per TCP connection */
} ewsflow_prefs_t;

extern ewsflow_prefs_t ewsflow_prefs;

void proto_register_ewsflow(void);
void proto_reg_handoff_ewsflow(void);

#endif
