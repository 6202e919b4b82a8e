/* ewsfile-read.h
 * The two archive readers. Each returns the sessions it found, or NULL with why.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef EWSFILE_READ_H
#define EWSFILE_READ_H

#include "ewsfile-session.h"

typedef enum {
    EWSFILE_NOT_MINE,           /* not this format: let other readers try */
    EWSFILE_DAMAGED,            /* this format, but broken; the text says where */
    EWSFILE_UNSUPPORTED,        /* this format, but something we cannot read (a password) */
} ewsfile_error_t;

/* A Fiddler session archive. claim: the file name says .saz, so a broken ZIP is reported
 * rather than left to other readers. */
ewsfile_t *ewsfile_read_saz(const char *path, gboolean claim, ewsfile_error_t *err, char **why);

/* The same from memory (fuzzing, tests); always claims. */
ewsfile_t *ewsfile_read_saz_memory(const void *data, gsize len, ewsfile_error_t *err, char **why);

/* A HAR file's text (NUL-terminated, modified in place). claim: the file name says .har. */
ewsfile_t *ewsfile_read_har(char *text, gsize len, gboolean claim, ewsfile_error_t *err, char **why);

#define EWSFILE_MAX_HAR   (256u << 20)   /* bytes of HAR text read */

#endif
