/* ewsflow-tap.h
 * The contract between the routing post-dissector and its tap listeners (the lookups report,
 * the stats tree, the lookup table, the flow graph): what the "ewsflow" tap hands them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFLOW_TAP_H
#define EWSFLOW_TAP_H

#include "ewsflow-tracker.h"

/* What the "ewsflow" tap hands its listeners, per frame (lists may be NULL). */
typedef struct {
    wmem_list_t *started;    /* ewsflow_req_t*: requests that started or completed here */
    wmem_list_t *answered;   /* ewsflow_req_t*: answered here */
    wmem_list_t *killed;     /* ewsflow_req_t*: reset here */
    wmem_list_t *closed;     /* ewsflow_req_t*: left unanswered by a FIN here */
    wmem_list_t *stories;    /* ewsflow_story_t*: diagnoses written here */
} ewsflow_tap_info_t;

#endif
