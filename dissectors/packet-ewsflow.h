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
#include "ewsflow-tap.h"

extern int proto_ewsflow;

typedef struct {
    guint max_flows;      /* TCP flows with HTTP tracked per capture */
    guint max_requests;   /* HTTP requests tracked per capture */
    guint max_pending;    /* requests awaiting an answer followed per TCP connection */
} ewsflow_prefs_t;

extern ewsflow_prefs_t ewsflow_prefs;

void proto_register_ewsflow(void);
void proto_reg_handoff_ewsflow(void);

#endif
