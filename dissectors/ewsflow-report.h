/* ewsflow-report.h
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFLOW_REPORT_H
#define EWSFLOW_REPORT_H

void ewsflow_register_report(void);

#endif
