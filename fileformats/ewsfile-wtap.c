/* ewsfile-wtap.c
 * The wiretap side: Fiddler archives (.saz) and HAR files (.har) open like captures. Each
 * archive is read whole at open time into sessions and packets (ewsfile-session.c); records
 * are then built on demand, so random access costs nothing more.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "wtap-shim.h"
#include "ewsfile-read.h"
#include "plugin-symbols.h"

static int saz_subtype = -1, har_subtype = -1;

typedef struct {
    ewsfile_t  *file;
    GByteArray *scratch;
    guint       next;           /* the record the sequential read hands out next */
} reader_t;

/* wtap_open_offline sets these before it calls any reader; anything else means our copy of
 * struct wtap does not match the running libwiretap. */
static gboolean
ewsfile_wtap_sane(const wtap *wth)
{
    return wth->file_encap == WTAP_ENCAP_UNKNOWN && wth->file_tsprec == WTAP_TSPREC_USEC &&
           wth->pathname != NULL && wth->priv == NULL && wth->subtype_read == NULL;
}

static gboolean
record(wtap *wth, guint i, wtap_rec *rec, Buffer *buf, int *err, char **err_info)
{
    reader_t *r = wth->priv;
    if (i >= r->file->packets->len) {
        *err = 0;
        return FALSE;
    }
    const ewsfile_packet_t *p = &g_array_index(r->file->packets, ewsfile_packet_t, i);
    ewsfile_record(r->file, i, r->scratch);

    rec->rec_type = REC_TYPE_PACKET;
    rec->block = wtap_block_create(WTAP_BLOCK_PACKET);
    rec->presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN;
    rec->tsprec = WTAP_TSPREC_NSEC;
    rec->ts.secs = (time_t)(p->time / 1000000000);
    rec->ts.nsecs = (int)(p->time % 1000000000);
    if (rec->ts.nsecs < 0) {
        rec->ts.secs--;
        rec->ts.nsecs += 1000000000;
    }
    rec->rec_header.packet_header.caplen = r->scratch->len;
    rec->rec_header.packet_header.len = r->scratch->len;
    rec->rec_header.packet_header.pkt_encap = WTAP_ENCAP_WIRESHARK_UPPER_PDU;
    rec->rec_header.packet_header.interface_id = 0;
    ws_buffer_assure_space(buf, r->scratch->len);
    memcpy(ws_buffer_start_ptr(buf), r->scratch->data, r->scratch->len);
    (void)err_info;
    return TRUE;
}

static gboolean
ewsfile_read(wtap *wth, wtap_rec *rec, Buffer *buf, int *err, char **err_info, gint64 *offset)
{
    reader_t *r = wth->priv;
    *offset = r->next;                       /* the "offset" is the record number */
    return record(wth, r->next++, rec, buf, err, err_info);
}

static gboolean
ewsfile_seek_read(wtap *wth, gint64 offset, wtap_rec *rec, Buffer *buf, int *err, char **err_info)
{
    if (offset < 0 || offset > G_MAXUINT) {
        *err = WTAP_ERR_BAD_FILE;
        *err_info = g_strdup("ewsfile: no such record");
        return FALSE;
    }
    if (!record(wth, (guint)offset, rec, buf, err, err_info)) {
        if (*err == 0) {
            *err = WTAP_ERR_BAD_FILE;
            *err_info = g_strdup("ewsfile: no such record");
        }
        return FALSE;
    }
    return TRUE;
}

static void
ewsfile_close(wtap *wth)
{
    reader_t *r = wth->priv;
    if (!r)
        return;
    ewsfile_free(r->file);
    g_byte_array_unref(r->scratch);
    r->file = NULL;
    r->scratch = NULL;                       /* wtap_close frees priv itself */
}

static gboolean
named(const wtap *wth, const char *ext)
{
    const char *dot = strrchr(wth->pathname, '.');
    return dot && g_ascii_strcasecmp(dot + 1, ext) == 0;
}

static wtap_open_return_val
opened(wtap *wth, ewsfile_t *f, int subtype, ewsfile_error_t e, char *why, const char *what, int *err, char **err_info)
{
    if (!f) {
        if (e == EWSFILE_NOT_MINE) {
            g_free(why);
            return WTAP_OPEN_NOT_MINE;
        }
        *err = e == EWSFILE_UNSUPPORTED ? WTAP_ERR_UNSUPPORTED : WTAP_ERR_BAD_FILE;
        *err_info = g_strdup_printf("%s: %s", what, why ? why : "unreadable");
        g_free(why);
        return WTAP_OPEN_ERROR;
    }
    reader_t *r = g_new0(reader_t, 1);
    r->file = f;
    r->scratch = g_byte_array_new();
    wth->priv = r;
    wth->subtype_read = ewsfile_read;
    wth->subtype_seek_read = ewsfile_seek_read;
    wth->subtype_close = ewsfile_close;
    wth->file_type_subtype = subtype;
    wth->file_encap = WTAP_ENCAP_WIRESHARK_UPPER_PDU;
    wth->file_tsprec = WTAP_TSPREC_NSEC;
    wth->snapshot_length = 0;
    wtap_add_generated_idb(wth);             /* so "Save As" pcapng works */
    return WTAP_OPEN_MINE;
}

static wtap_open_return_val
saz_open(wtap *wth, int *err, char **err_info)
{
    guint8 magic[4];
    if (!ewsfile_wtap_sane(wth) || wth->ispipe)
        return WTAP_OPEN_NOT_MINE;
    if (file_read(magic, sizeof magic, wth->fh) != (int)sizeof magic || memcmp(magic, "PK\x03\x04", 4) != 0)
        return WTAP_OPEN_NOT_MINE;
    ewsfile_error_t e;
    char *why;
    ewsfile_t *f = ewsfile_read_saz(wth->pathname, named(wth, "saz"), &e, &why);
    return opened(wth, f, saz_subtype, e, why, "Fiddler archive", err, err_info);
}

static wtap_open_return_val
har_open(wtap *wth, int *err, char **err_info)
{
    char head[4096];
    if (!ewsfile_wtap_sane(wth))
        return WTAP_OPEN_NOT_MINE;
    int n = file_read(head, sizeof head - 1, wth->fh);
    if (n <= 0)
        return WTAP_OPEN_NOT_MINE;
    head[n] = '\0';
    const char *p = head;
    if (n >= 3 && (guint8)p[0] == 0xef && (guint8)p[1] == 0xbb && (guint8)p[2] == 0xbf)
        p += 3;
    while (*p && g_ascii_isspace(*p))
        p++;
    if (*p != '{' || !strstr(p, "\"log\""))
        return WTAP_OPEN_NOT_MINE;

    /* The whole text, within EWSFILE_MAX_HAR (file_read also undoes gzip) */
    GByteArray *text = g_byte_array_new();
    g_byte_array_append(text, (const guint8 *)head, (guint)n);
    char chunk[65536];
    while ((n = file_read(chunk, sizeof chunk, wth->fh)) > 0) {
        if (text->len + (guint)n > EWSFILE_MAX_HAR) {
            g_byte_array_unref(text);
            *err = WTAP_ERR_UNSUPPORTED;
            *err_info = g_strdup_printf("HAR file: larger than %u MiB, the most this reader takes; export fewer "
                                        "requests (filter the browser's network panel first)", EWSFILE_MAX_HAR >> 20);
            return WTAP_OPEN_ERROR;
        }
        g_byte_array_append(text, (const guint8 *)chunk, (guint)n);
    }
    if (n < 0) {
        g_byte_array_unref(text);
        *err = WTAP_ERR_SHORT_READ;
        return WTAP_OPEN_ERROR;
    }
    gsize len = text->len;
    g_byte_array_append(text, (const guint8 *)"", 1);
    ewsfile_error_t e;
    char *why;
    ewsfile_t *f = ewsfile_read_har((char *)text->data, len, named(wth, "har"), &e, &why);
    g_byte_array_unref(text);
    return opened(wth, f, har_subtype, e, why, "HAR file", err, err_info);
}

static const struct supported_block_type blocks[] = {
    { WTAP_BLOCK_PACKET, MULTIPLE_BLOCKS_SUPPORTED, NO_OPTIONS_SUPPORTED },
};
static const struct file_type_subtype_info saz_info = {
    "Fiddler session archive", "fiddler-saz", "saz", NULL, FALSE, BLOCKS_SUPPORTED(blocks), NULL, NULL, NULL
};
static const struct file_type_subtype_info har_info = {
    "HTTP Archive (HAR)", "har", "har", NULL, FALSE, BLOCKS_SUPPORTED(blocks), NULL, NULL, NULL
};

static void
register_readers(void)
{
    /* A SAZ is a ZIP: a magic number no built-in reader claims, checked for raw/N_c.txt
     * before it is taken. A HAR is JSON: a heuristic, tried before Wireshark's generic JSON
     * reader for files named .har. */
    static struct open_info saz_open_info = { "Fiddler session archive (SAZ)", OPEN_INFO_MAGIC, saz_open, "saz", NULL, NULL };
    static struct open_info har_open_info = { "HTTP Archive (HAR)", OPEN_INFO_HEURISTIC, har_open, "har", NULL, NULL };
    wtap_register_open_info(&saz_open_info, FALSE);
    wtap_register_open_info(&har_open_info, FALSE);
    saz_subtype = wtap_register_file_type_subtype(&saz_info);
    har_subtype = wtap_register_file_type_subtype(&har_info);
}

void
plugin_register(void)
{
    static wtap_plugin plug = { register_readers };
    wtap_register_plugin(&plug);
}
