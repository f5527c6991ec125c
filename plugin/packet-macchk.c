/* packet-macchk.c - MAC Address Check: the Wireshark glue.
 *
 * A postdissector that classifies the link-layer addresses of every frame
 * (read from pinfo, never from other dissectors' fields: asking for those
 * forces a protocol tree on every frame) and, for ARP, findings across the
 * capture.  ARP is found by sitting in front of the ARP dissector in the
 * "ethertype" table, wherever ARP travels (Ethernet, VLAN, SLL, 802.11 SNAP,
 * tunnels); 802.1ah is fronted the same way so that its customer addresses
 * become the link-layer addresses of the payload.
 *
 * The logic lives in macchk_class (one address), macchk_arp (one ARP
 * packet), macchk_track (ARP across frames) and macchk_result (policy);
 * this file maps their findings to fields and expert infos.
 */
#include <epan/addr_resolv.h>
#include <epan/address_types.h>
#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/tap.h>
#include <epan/to_str.h>
#include <epan/uat.h>
#include <wsutil/filesystem.h>
#include <wsutil/report_message.h>
#include <wsutil/str_util.h>

#include "macchk_allow.h"
#include "macchk_compat.h"
#include "macchk_glue.h"
#include "macchk_gui.h"
#include "macchk_result.h"
#include "macchk_util.h"
#include "packet-macchk.h"

#define ETHERTYPE_ARP_ 0x0806
#define ETHERTYPE_RARP_ 0x8035
#define ETHERTYPE_PBB_ 0x88e7
#define ETHERTYPE_VLAN_ 0x8100
#define ETHERTYPE_QINQ_ 0x88a8
#define ETHERTYPE_QINQ_OLD_ 0x9100
#define UDP_PORT_VXLAN_ 4789
#define UDP_PORT_VXLAN_GPE_ 4790
#define VXLAN_HEADER_LEN 8
#define ARPHRD_ETHER_ 1
#define PBB_HEADER_LEN 16 /* I-tag (4), customer destination (6), customer source (6) */


void proto_register_macchk(void);
void proto_reg_handoff_macchk(void);

int proto_macchk = -1;
/* The postdissector's own protocol, a helper of macchk (see the handoff). */
static int proto_macchk_post = -1;
static int macchk_tap = -1;

/* --- Address fields: four roles, the same fields under each ------------ */

enum { ROLE_SRC, ROLE_DST, ROLE_SHA, ROLE_THA, ROLE_COUNT };
enum { AF_ADDR, AF_CAST, AF_ADMIN, AF_SLAP, AF_RANGE, AF_RANGE_ID, AF_VNIC, AF_DUPLICATE, AF_COUNT };

static const struct {
    const char *name, *abbrev;
} roles[ROLE_COUNT] = {
    {"Source", "macchk.src"},
    {"Destination", "macchk.dst"},
    {"ARP sender MAC", "macchk.arp.sha"},
    {"ARP target MAC", "macchk.arp.tha"},
};

/* Class fields are small integers whose value_string names are the
 * keywords filters use (macchk.src.cast == "multicast"): cheaper than
 * strings, and the tree shows the long names.  Filled at registration from
 * macchk_class's names, so the keywords are defined in one place. */
static value_string cast_vals[MACCHK_CAST_ZERO + 2];
static value_string admin_vals[MACCHK_ADMIN_LOCAL + 2];
static value_string slap_vals[MACCHK_SLAP_RESERVED + 2];
static value_string range_vals[MACCHK_RANGE_COUNT + 1];
static value_string vnic_vals[MACCHK_VNIC_COUNT + 1];

static const struct {
    const char *name, *suffix;
    enum ftenum type;
    int display;
    const value_string *vals;
    const char *blurb;
} addr_fields[AF_COUNT] = {
    {"Address", "", FT_ETHER, BASE_NONE, NULL, "The address classified"},
    {"Cast", ".cast", FT_UINT8, BASE_DEC, cast_vals, "unicast, multicast, broadcast or zero (I/G bit 0x01)"},
    {"Administration", ".admin", FT_UINT8, BASE_DEC, admin_vals,
     "UAA (globally unique) or LAA (locally administered, U/L bit 0x02)"},
    {"SLAP quadrant", ".slap", FT_UINT8, BASE_DEC, slap_vals,
     "IEEE 802c quadrant of a locally administered address: AAI, ELI, SAI or reserved"},
    {"Special range", ".range", FT_UINT8, BASE_DEC, range_vals, "Reserved or special-purpose range the address is in"},
    {"Range identifier", ".range_id", FT_UINT16, BASE_DEC, NULL,
     "Low octet, VRRP VRID or HSRP group within the special range"},
    {"Virtual NIC", ".vnic", FT_UINT8, BASE_DEC, vnic_vals, "Hypervisor or container vendor prefix"},
    {"Duplicate in capture", ".duplicate", FT_BOOLEAN, BASE_NONE, NULL,
     "Present when the MAC claims several IPv4 addresses at once in this capture (as known when dissected)"},
};

static int hf_macchk_addr[ROLE_COUNT][AF_COUNT];
static char hf_macchk_addr_abbrev[ROLE_COUNT][AF_COUNT][32]; /* static: nothing to free at exit */
static hf_register_info hf_macchk_addr_info[ROLE_COUNT * AF_COUNT];
static gint ett_macchk_addr[ROLE_COUNT];

/* --- Other fields ------------------------------------------------------ */

static int hf_macchk_invalid = -1;
static int hf_macchk_network = -1;
static int hf_macchk_reason = -1;
static int hf_macchk_src_suggested = -1;
static int hf_macchk_arp_also_answers = -1;
static int hf_macchk_arp_asked_again = -1;
static int hf_macchk_arp_kind = -1;
static int hf_macchk_arp_request_in = -1;
static int hf_macchk_arp_response_in = -1;
static int hf_macchk_arp_response_time = -1;
static int hf_macchk_arp_attempt = -1;
static int hf_macchk_arp_attempts = -1;
static int hf_macchk_arp_first_attempt = -1;
static int hf_macchk_arp_late_request = -1;
static int hf_macchk_arp_other_mac = -1;
static int hf_macchk_arp_other_mac_frame = -1;
static int hf_macchk_dup_other_ip = -1;
static int hf_macchk_dup_other_ip_frame = -1;

static gint ett_macchk = -1;
static gint ett_macchk_arp = -1;

/* --- Expert infos -------------------------------------------------------- */


/* --- Preferences and per-file state ------------------------------------ */

static guint pref_arp_timeout_ms = 3000;
static guint pref_table_cap = 1u << 20;
static gint pref_dup_mac_is_warning = TRUE;
static macchk_pref_bool pref_note_unicast_request = TRUE;
static macchk_pref_bool pref_note_target_mismatch = TRUE;
static macchk_pref_bool pref_note_unsolicited = TRUE;
static macchk_pref_bool pref_note_changes = TRUE;
static macchk_pref_bool pref_note_qemu_default = TRUE;
static macchk_pref_bool pref_note_slap_reserved = TRUE;
static macchk_session_watch *session_watches; /* listeners told when the file ends */
/* the open file's; policy: the preferences above, as of the last init */
static macchk_session session = {.watches = &session_watches};

static macchk_tracker *tracker; /* file scope; NULL outside a file */
/* Frames whose record is one of the tracker's shared ones (a flood past the
 * table cap) keep one byte each here, indexed by frame number, instead of
 * a proto-data entry; allocated only once such a frame comes. */
static macchk_frame_bytes shared_by_frame;

static dissector_handle_t arp_handle, pbb_handle;

/* Dissectors macchk sits in front of to learn the frame's network: each
 * reads one tag from the start of its tvb, then hands the tvb on. */
typedef struct {
    const char *table;
    guint32 value;
    macchk_tag_kind kind;
    dissector_handle_t wrapped;  /* the dissector registered there before macchk */
} tag_front;

static tag_front tag_fronts[] = {
    {"ethertype", ETHERTYPE_VLAN_, MACCHK_TAG_VLAN, NULL},
    {"ethertype", ETHERTYPE_QINQ_, MACCHK_TAG_VLAN, NULL},
    {"ethertype", ETHERTYPE_QINQ_OLD_, MACCHK_TAG_VLAN, NULL},
    {"udp.port", UDP_PORT_VXLAN_, MACCHK_TAG_VNI, NULL},
    {"udp.port", UDP_PORT_VXLAN_GPE_, MACCHK_TAG_VNI, NULL},
};
static int wlan_address_type = -1;


int64_t macchk_time_ns(const nstime_t *t)
{
    return (int64_t)t->secs * 1000000000 + t->nsecs;
}

nstime_t macchk_ns_to_nstime(int64_t ns)
{
    nstime_t t;
    t.secs = (time_t)(ns / 1000000000);
    t.nsecs = (int)(ns % 1000000000);
    return t;
}

static void *file_scope_alloc(void *ctx, size_t size)
{
    return wmem_alloc0(wmem_file_scope(), size);
}

static void file_scope_release(void *ctx, void *ptr)
{
    wmem_free(wmem_file_scope(), ptr);
}

const macchk_allocator macchk_file_allocator = {file_scope_alloc, file_scope_release, NULL};

/* macchk.table_cap's range.  Below 1 no table could hold anything; at
 * 2^24 the tracker's two tables alone may take over 2 GiB (2^24 bindings
 * and 2^24 exchanges at 40-56 bytes each, plus their hash slots). */
#define TABLE_CAP_MIN 1u
#define TABLE_CAP_MAX (1u << 24)

/* A value outside the range is clamped to the nearer bound, with a warning:
 * set in the preference itself, so that every reader (tracker, expert info,
 * report, stats tree) and the GUI's dialog see the one value in force. */
static void check_table_cap(void)
{
    guint asked = pref_table_cap;

    if (asked >= TABLE_CAP_MIN && asked <= TABLE_CAP_MAX)
        return;
    pref_table_cap = asked < TABLE_CAP_MIN ? TABLE_CAP_MIN : TABLE_CAP_MAX;
    report_warning("macchk: preference macchk.table_cap is %u, outside its range %u-%u: using %u", asked,
                   TABLE_CAP_MIN, TABLE_CAP_MAX, pref_table_cap);
}

static void macchk_init(void)
{
    check_table_cap(); /* in case preferences changed without the apply callback */
    macchk_track_config config = {
        .arp_timeout_ns = (int64_t)pref_arp_timeout_ms * 1000000,
        .table_cap = pref_table_cap,
    };
    tracker = macchk_track_new(&macchk_file_allocator, &config);
    session.tracker = tracker;
    session.table_cap = pref_table_cap;
    session.arp_timeout_ns = config.arp_timeout_ns;
    session.file_id++;
    macchk_nd_init(&session);
    session.policy = (macchk_policy){
        .dup_mac_is_warning = pref_dup_mac_is_warning,
        .note_unicast_request = pref_note_unicast_request,
        .note_target_mismatch = pref_note_target_mismatch,
        .note_unsolicited = pref_note_unsolicited,
        .note_changes = pref_note_changes,
        .note_qemu_default = pref_note_qemu_default,
        .note_slap_reserved = pref_note_slap_reserved,
    };
}

static void macchk_cleanup(void)
{
    macchk_session_end(&session); /* listeners settle the file while its trackers are there */
    tracker = NULL; /* its memory goes with the file scope, as does shared_by_frame's */
    session.tracker = NULL;
    shared_by_frame = (macchk_frame_bytes){NULL, 0};
    macchk_nd_cleanup(&session);
}

/* One expert info per distinct name in the findings table
 * (macchk_findings.h); rows that share a name share it. */
#define MAX_FINDING_ROWS 96
static expert_field ei_macchk[MAX_FINDING_ROWS];      /* by row of its first user */
static expert_field ei_macchk_note[MAX_FINDING_ROWS]; /* rows' note_expert variants */
static size_t ei_row[MAX_FINDING_ROWS];               /* row -> the row registering its expert info */
static const macchk_finding_info *finding_rows;

static int expert_group(macchk_group group)
{
    switch (group) {
    case MACCHK_GROUP_SEQUENCE: return PI_SEQUENCE;
    case MACCHK_GROUP_MALFORMED: return PI_MALFORMED;
    case MACCHK_GROUP_DEBUG: return PI_DEBUG;
    default: return PI_PROTOCOL;
    }
}

static void register_expert_infos(expert_module_t *module)
{
    static ei_register_info infos[2 * MAX_FINDING_ROWS];
    static const ei_register_info blank = {NULL, {NULL, 0, 0, NULL, EXPFILL}};
    size_t n_rows, n = 0;

    finding_rows = macchk_findings(&n_rows);
    DISSECTOR_ASSERT(n_rows <= MAX_FINDING_ROWS);
    for (size_t i = 0; i < n_rows; i++) {
        const macchk_finding_info *f = &finding_rows[i];
        ei_row[i] = i;
        for (size_t j = 0; j < i; j++)
            if (strcmp(finding_rows[j].expert, f->expert) == 0) {
                ei_row[i] = j;
                break;
            }
        if (ei_row[i] != i)
            continue;
        ei_macchk[i] = (expert_field)EI_INIT;
        infos[n] = blank;
        infos[n].ids = &ei_macchk[i];
        infos[n].eiinfo.name = f->expert;
        infos[n].eiinfo.group = expert_group(f->group);
        infos[n].eiinfo.severity = f->severity == MACCHK_SEV_WARNING ? PI_WARN : PI_NOTE;
        infos[n++].eiinfo.summary = f->expert_summary;
        if (f->note_expert) {
            ei_macchk_note[i] = (expert_field)EI_INIT;
            infos[n] = blank;
            infos[n].ids = &ei_macchk_note[i];
            infos[n].eiinfo.name = f->note_expert;
            infos[n].eiinfo.group = expert_group(f->group);
            infos[n].eiinfo.severity = PI_NOTE;
            infos[n++].eiinfo.summary = f->expert_summary;
        }
    }
    expert_register_field_array(module, infos, (int)n);
}

/* The expert info showing a finding, under the policy in force. */
expert_field *macchk_finding_ei(macchk_finding_set set, unsigned bit)
{
    const macchk_finding_info *f = macchk_finding(set, bit);
    size_t row = ei_row[f - finding_rows];
    if (f->note_expert && macchk_finding_severity(f, !session.policy.dup_mac_is_warning) == MACCHK_SEV_NOTE)
        return &ei_macchk_note[row];
    return &ei_macchk[row];
}

/* --- Allow-list (a UAT of MAC or IPv4 addresses) ----------------------- */

typedef struct {
    char *address;
    char *comment;
    gboolean reported; /* its bad address has been warned about */
} allow_record;

static uat_t *allow_uat;
#define ALLOW_LIST_FILE "macchk_allow"

static allow_record *allow_records;
static guint allow_record_count;
static macchk_allow_entry *allow_entries; /* parsed copy of allow_records: the good ones */
static guint allow_entry_count;

UAT_CSTRING_CB_DEF(allow_records, address, allow_record)
UAT_CSTRING_CB_DEF(allow_records, comment, allow_record)

static void *allow_record_copy(void *dest, const void *source, size_t len)
{
    allow_record *d = dest;
    const allow_record *s = source;
    d->address = g_strdup(s->address);
    d->comment = g_strdup(s->comment);
    d->reported = FALSE;
    return d;
}

static void allow_record_free(void *record)
{
    g_free(((allow_record *)record)->address);
    g_free(((allow_record *)record)->comment);
}

/* The UAT was cleared (reloaded, or Wireshark shutting down). */
static void allow_records_reset(void)
{
    g_free(allow_entries);
    allow_entries = NULL;
    allow_entry_count = 0;
}

/* Say once which record is bad, by its line in the allow-list file (the
 * UAT keeps no line numbers: the file is read again to find it), or as an
 * -o uat:macchk_allow entry when it lies beyond the file's records. */
/* The file the allow-list was loaded from, as the UAT loader picks it (the
 * profile's, else the global one), or NULL (g_free it).  Found with the
 * public file name helpers: the UAT's own accessor is in a private header. */
static char *allow_list_path(void)
{
    char *path = get_persconffile_path(ALLOW_LIST_FILE, TRUE);
    if (file_exists(path))
        return path;
    g_free(path);
    path = get_datafile_path(ALLOW_LIST_FILE);
    if (file_exists(path))
        return path;
    g_free(path);
    return NULL;
}

static void allow_record_warn(guint index, const char *address)
{
    char *path = allow_list_path();
    gchar *text = NULL, *shown = g_strescape(address ? address : "", NULL);
    gsize len = 0;
    size_t line = 0;

    if (path && g_file_get_contents(path, &text, &len, NULL))
        line = macchk_allow_record_line(text, len, index);
    if (line)
        report_warning("macchk allow-list %s, line %zu: \"%s\" is neither a MAC address (52:54:00:12:34:56) "
                       "nor an IPv4 address (10.0.0.1): that line is skipped, the other entries apply",
                       path, line, shown);
    else
        report_warning("macchk allow-list entry %u (-o uat:macchk_allow): \"%s\" is neither a MAC address "
                       "(52:54:00:12:34:56) nor an IPv4 address (10.0.0.1): that entry is skipped, the other "
                       "entries apply", index + 1, shown);
    g_free(shown);
    g_free(text);
    g_free(path);
}

/* Every record is kept and judged here, after the whole table is loaded:
 * an update callback returning FALSE makes Wireshark's UAT loader fail the
 * file, and this callback is then never called, so one bad line used to
 * drop every entry (and the loader's message named neither line nor value). */
static void allow_records_changed(void)
{
    g_free(allow_entries);
    allow_entries = g_new0(macchk_allow_entry, allow_record_count ? allow_record_count : 1);
    allow_entry_count = 0;
    for (guint i = 0; i < allow_record_count; i++) {
        if (macchk_allow_parse(allow_records[i].address, &allow_entries[allow_entry_count])) {
            allow_entry_count++;
        } else if (!allow_records[i].reported) {
            allow_records[i].reported = TRUE;
            allow_record_warn(i, allow_records[i].address);
        }
    }
}

static void register_allow_list(module_t *module)
{
    static uat_field_t fields[] = {
        UAT_FLD_CSTRING(allow_records, address, "Address", "MAC (52:54:00:12:34:56) or IPv4 address (10.0.0.1)"),
        UAT_FLD_CSTRING(allow_records, comment, "Comment", "Why this address may conflict (proxy ARP, VRRP pair, ...)"),
        UAT_END_FIELDS};
    /* No update callback: see allow_records_changed.  (So the GUI's table
     * dialog takes any text; the warning comes when the table is applied.) */
    allow_uat = uat_new("MACCHK allow-list", sizeof(allow_record), ALLOW_LIST_FILE, TRUE, &allow_records,
                        &allow_record_count, UAT_AFFECTS_DISSECTION, NULL, allow_record_copy, NULL,
                        allow_record_free, allow_records_changed, allow_records_reset, fields);
    prefs_register_uat_preference(module, "allow_list", "Allow-list",
                                  "MAC or IPv4 addresses whose conflicts and duplicate claims are expected "
                                  "(proxy ARP router, VRRP/CARP pair, load balancer)",
                                  allow_uat);
}

/* --- Reading addresses ------------------------------------------------- */

static gboolean is_mac_address(const address *addr)
{
    return addr->len == MACCHK_ADDR_LEN &&
           (addr->type == AT_ETHER || (wlan_address_type != -1 && addr->type == wlan_address_type));
}

/* Linux cooked captures give a source address for every device type; only
 * ARPHRD_ETHER ones are MAC addresses (the loopback device's is all zeros by
 * design).  Reached only when no Ethernet or 802.11 header followed. */
static gboolean sll_source_is_ethernet(tvbuff_t *frame_tvb, int encap)
{
    int hatype_offset = encap == WTAP_ENCAP_SLL ? 2 : 8;
    return tvb_captured_length(frame_tvb) >= (guint)hatype_offset + 2 &&
           tvb_get_ntohs(frame_tvb, hatype_offset) == ARPHRD_ETHER_;
}

/* The link-layer addresses of the payload, as the innermost link-layer
 * dissector left them in pinfo. */
static void current_link_addrs(tvbuff_t *frame_tvb, packet_info *pinfo, macchk_link_addrs *link)
{
    int encap = macchk_frame_encap(pinfo);

    link->has_src = is_mac_address(&pinfo->dl_src);
    link->has_dst = is_mac_address(&pinfo->dl_dst);
    link->not_mac_link = (encap == WTAP_ENCAP_SLL || encap == WTAP_ENCAP_SLL2) &&
                         !proto_is_frame_protocol(pinfo->layers, "eth") &&
                         !proto_is_frame_protocol(pinfo->layers, "wlan") && !sll_source_is_ethernet(frame_tvb, encap);
    if (link->not_mac_link)
        link->has_src = FALSE;
    if (link->has_src)
        memcpy(link->src, pinfo->dl_src.data, MACCHK_ADDR_LEN);
    if (link->has_dst)
        memcpy(link->dst, pinfo->dl_dst.data, MACCHK_ADDR_LEN);
}

/* --- Front-ends for ARP and 802.1ah ------------------------------------ */

static void read_arp(tvbuff_t *tvb, macchk_arp_packet *p)
{
    guint captured = tvb_captured_length(tvb), reported = tvb_reported_length(tvb);
    guint needed;

    memset(p, 0, sizeof *p);
    if (captured < MACCHK_ARP_FIXED_LEN) {
        p->snap_cut = reported >= MACCHK_ARP_FIXED_LEN;
        return;
    }
    p->fixed_part = TRUE;
    p->htype = tvb_get_ntohs(tvb, 0);
    p->ptype = tvb_get_ntohs(tvb, 2);
    p->hlen = tvb_get_uint8(tvb, 4);
    p->plen = tvb_get_uint8(tvb, 5);
    p->opcode = tvb_get_ntohs(tvb, 6);
    needed = MACCHK_ARP_FIXED_LEN + 2u * (p->hlen + p->plen);
    p->body_complete = captured >= needed;
    p->snap_cut = !p->body_complete && reported >= needed;
    if (!macchk_arp_has_addresses(p))
        return;
    tvb_memcpy(tvb, p->sha, 8, MACCHK_ADDR_LEN);
    p->spa = tvb_get_ntohl(tvb, 14);
    tvb_memcpy(tvb, p->tha, 18, MACCHK_ADDR_LEN);
    p->tpa = tvb_get_ntohl(tvb, 24);
}

gboolean macchk_enabled(void)
{
    return proto_is_protocol_enabled(find_protocol_by_id(proto_macchk));
}

macchk_frame_seen *macchk_seen(packet_info *pinfo, gboolean create)
{
    macchk_frame_seen *seen = p_get_proto_data(pinfo->pool, pinfo, proto_macchk, KEY_SEEN);
    if (!seen && create) {
        seen = wmem_new0(pinfo->pool, macchk_frame_seen);
        p_add_proto_data(pinfo->pool, pinfo, proto_macchk, KEY_SEEN, seen);
    }
    return seen;
}

/* The network tags met so far in this frame (outer to inner). */
static macchk_net *frame_tags(packet_info *pinfo)
{
    macchk_frame_seen *seen = macchk_seen(pinfo, TRUE);
    if (!seen->tags)
        seen->tags = wmem_new0(pinfo->pool, macchk_net);
    return seen->tags;
}

/* The frame's network: its capture interface plus the tags met. */
static void current_net(packet_info *pinfo, const macchk_frame_seen *seen, macchk_net *net)
{
    const macchk_net *tags = seen ? seen->tags : NULL;
    if (tags)
        *net = *tags;
    else
        memset(net, 0, sizeof *net);
    net->iface = macchk_frame_interface(pinfo);
}

/* A VLAN tag (TCI first) or a VXLAN header (VNI in octets 4-6) starts the
 * tvb: note its id, then hand the tvb to the dissector that was there. */
static int dissect_macchk_tag_front(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    const tag_front *front = NULL;

    /* the table's value that led here tells which front this is (the
     * ethertypes and UDP ports used do not overlap) */
    for (size_t i = 0; i < array_length(tag_fronts); i++)
        if (tag_fronts[i].value == pinfo->match_uint && tag_fronts[i].wrapped)
            front = &tag_fronts[i];
    if (!front)
        return 0;
    if (macchk_enabled()) {
        if (front->kind == MACCHK_TAG_VLAN && tvb_captured_length(tvb) >= 2)
            macchk_net_push(frame_tags(pinfo), MACCHK_TAG_VLAN, tvb_get_ntohs(tvb, 0) & 0x0fff);
        else if (front->kind == MACCHK_TAG_VNI && tvb_captured_length(tvb) >= VXLAN_HEADER_LEN)
            macchk_net_push(frame_tags(pinfo), MACCHK_TAG_VNI, tvb_get_ntoh24(tvb, 4));
    }
    return call_dissector_with_data(front->wrapped, tvb, pinfo, tree, data);
}

/* Note what the ARP packet says, then let the ARP dissector do its work.
 * Reading first matters: the ARP dissector throws on truncated packets.
 * link_is_mac: the ARP packet follows a MAC header (not so in GRE). */
static void note_arp(tvbuff_t *tvb, packet_info *pinfo, gboolean link_is_mac)
{
    macchk_frame_seen *seen;
    if (macchk_enabled() && !(seen = macchk_seen(pinfo, TRUE))->arp) {
        macchk_arp_packet *arp = wmem_new(pinfo->pool, macchk_arp_packet);
        read_arp(tvb, arp);
        arp->link_is_mac = link_is_mac;
        seen->arp = arp;
    }
}

static int dissect_macchk_arp_front(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    note_arp(tvb, pinfo, TRUE);
    return call_dissector_with_data(arp_handle, tvb, pinfo, tree, data);
}

static int dissect_macchk_arp_gre_front(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    note_arp(tvb, pinfo, FALSE);
    return call_dissector_with_data(arp_handle, tvb, pinfo, tree, data);
}

/* After an 802.1ah header the customer addresses are the link-layer
 * addresses of what follows. */
static int dissect_macchk_pbb_front(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (macchk_enabled() && tvb_captured_length(tvb) >= PBB_HEADER_LEN) {
        set_address_tvb(&pinfo->dl_dst, AT_ETHER, MACCHK_ADDR_LEN, tvb, 4);
        set_address_tvb(&pinfo->dl_src, AT_ETHER, MACCHK_ADDR_LEN, tvb, 10);
    }
    return call_dissector_with_data(pbb_handle, tvb, pinfo, tree, data);
}

/* --- Analysis ---------------------------------------------------------- */


void macchk_frame_bytes_set(macchk_frame_bytes *map, guint32 frame, guint8 value)
{
    if (frame >= map->size) {
        guint32 size = MAX(map->size * 2, 4096);
        while (size <= frame)
            size *= 2;
        map->bytes = wmem_realloc(wmem_file_scope(), map->bytes, size);
        memset(map->bytes + map->size, 0, size - map->size);
        map->size = size;
    }
    map->bytes[frame] = value;
}

guint8 macchk_frame_bytes_get(const macchk_frame_bytes *map, guint32 frame)
{
    return frame < map->size ? map->bytes[frame] : 0;
}

/* Follow the ARP packet across frames: record it on the first pass, find
 * the record again on later ones. */
static const macchk_arp_frame *track_arp(packet_info *pinfo, const macchk_arp_packet *p, const macchk_net *net)
{
    macchk_arp_frame *record;

    if (PINFO_FD_VISITED(pinfo)) {
        guint8 shared = macchk_frame_bytes_get(&shared_by_frame, pinfo->num);
        if (shared)
            return macchk_track_shared_record(tracker, shared);
        return p_get_proto_data(wmem_file_scope(), pinfo, proto_macchk, KEY_TRACK);
    }
    if (!tracker || (p->opcode != MACCHK_ARP_REQUEST && p->opcode != MACCHK_ARP_REPLY))
        return NULL;

    macchk_arp_obs obs = {
        .frame = pinfo->num,
        .time_ns = macchk_time_ns(&pinfo->abs_ts),
        .net = *net,
        .opcode = p->opcode,
        .spa = p->spa,
        .tpa = p->tpa,
    };
    memcpy(obs.sha, p->sha, MACCHK_ADDR_LEN);
    memcpy(obs.tha, p->tha, MACCHK_ADDR_LEN);
    record = macchk_track_arp(tracker, &obs);
    if (record && macchk_track_shared_index(tracker, record))
        macchk_frame_bytes_set(&shared_by_frame, pinfo->num, macchk_track_shared_index(tracker, record));
    else if (record)
        p_add_proto_data(wmem_file_scope(), pinfo, proto_macchk, KEY_TRACK, record);
    return record;
}

/* link: the header that carried the ARP packet; ARP is the last thing in a
 * frame, so it is still what pinfo says after the whole dissection. */
static G_GNUC_NO_INLINE void analyse_arp(packet_info *pinfo, const macchk_arp_packet *seen, const macchk_link_addrs *link,
                        macchk_result *r)
{
    const macchk_arp_frame *record;

    static const macchk_link_addrs no_link; /* ARP straight in GRE: no MAC header carried it */

    r->has_arp = TRUE;
    macchk_result_start_arp(r);
    r->arp = *seen;
    r->arp_findings = macchk_arp_judge(seen, seen->link_is_mac ? link : &no_link);
    if (!macchk_arp_has_addresses(seen))
        return;
    macchk_classify(r->arp.sha, &r->sha_class);
    macchk_classify(r->arp.tha, &r->tha_class);
    record = track_arp(pinfo, seen, &r->net);
    if (!record || !tracker)
        return;
    r->tracked = TRUE;
    r->record = record;
    macchk_track_verdict(tracker, record, PINFO_FD_VISITED(pinfo), &r->verdict);
    r->track_findings = macchk_track_findings(
        &r->verdict, &r->sha_class,
        macchk_allow_involves(allow_entries, allow_entry_count, r->arp.sha, r->arp.spa, &r->verdict));
}

static void analyse_frame(tvbuff_t *tvb, packet_info *pinfo, macchk_result *r)
{
    macchk_link_addrs link;
    macchk_frame_seen *seen = macchk_seen(pinfo, FALSE);

    current_link_addrs(tvb, pinfo, &link);
    current_net(pinfo, seen, &r->net);
    r->frame = pinfo->num;
    r->has_src = link.has_src;
    r->has_dst = link.has_dst;
    if (link.has_src) {
        memcpy(r->src, link.src, MACCHK_ADDR_LEN);
        macchk_classify(r->src, &r->src_class);
        r->addr_findings |= macchk_judge_source(&r->src_class);
    }
    if (link.has_dst) {
        memcpy(r->dst, link.dst, MACCHK_ADDR_LEN);
        macchk_classify(r->dst, &r->dst_class);
        r->addr_findings |= macchk_judge_destination(&r->dst_class);
    }
    if (G_UNLIKELY(seen != NULL)) { /* ARP or ND */
        if (seen->arp)
            analyse_arp(pinfo, seen->arp, &link, r);
        if (seen->nd)
            macchk_nd_analyse(pinfo, seen->nd, &link, r);
    }
    if (G_UNLIKELY(macchk_result_has_findings(r))) { /* most frames have none */
        macchk_apply_policy(r, &session.policy);
        r->invalid = macchk_result_is_invalid(r, &session.policy);
    }
}

/* --- Showing it -------------------------------------------------------- */

const char *macchk_mac_str(packet_info *pinfo, const uint8_t *mac)
{
    address addr;
    set_address(&addr, AT_ETHER, MACCHK_ADDR_LEN, mac);
    return address_to_str(pinfo->pool, &addr);
}

/* "2.000123457": a time in seconds, exact to the nanosecond */
const char *macchk_seconds_str(packet_info *pinfo, int64_t ns)
{
    nstime_t t = macchk_ns_to_nstime(ns < 0 ? 0 : ns);
    return wmem_strdup_printf(pinfo->pool, "%" PRId64 ".%09d", (int64_t)t.secs, t.nsecs);
}

static const char *ipv4_str(packet_info *pinfo, uint32_t ip)
{
    guint32 net = g_htonl(ip);
    address addr;
    set_address(&addr, AT_IPv4, 4, &net);
    return address_to_str(pinfo->pool, &addr);
}

/* A generated item labelled "<field's name>: <name>[: <detail>]", the label
 * given whole: Wireshark prints it straight into the item (with only the
 * value given, it escapes and joins the pieces: twice the cost, per item of
 * every frame under -V). */
static void add_named_uint(proto_tree *tree, int hf, guint32 value, const char *name, const char *detail)
{
    char label[ITEM_LABEL_LENGTH];
    macchk_concat(label, sizeof label, proto_registrar_get_name(hf), ": ", name, detail ? ": " : "",
                  detail ? detail : "", NULL);
    proto_item_set_generated(proto_tree_add_uint_format(tree, hf, NULL, 0, 0, value, "%s", label));
}

/* net: the frame's network id in the tracker (0: none known) */
static proto_item *add_address(proto_tree *tree, int role, const uint8_t *mac, const macchk_class *c, guint32 net)
{
    const int *hf = hf_macchk_addr[role];
    proto_item *ti;
    proto_tree *sub;
    proto_item *item;

    if (!tree)
        return NULL; /* tshark without a tree (-r, taps): nothing to show; expert infos need no item */
    /* the whole label at once: appended text would make Wireshark build the
     * default label first (measured: a third of this function under -V) */
    char hex[MACCHK_MAC_HEX_LEN], label[ITEM_LABEL_LENGTH];
    const char *name = gbl_resolv_flags.mac_name ? get_ether_name(mac) : NULL;
    const char *vnic_sep = c->vnic ? ", " : "", *vnic = c->vnic ? macchk_vnic_name(c->vnic) : "";
    macchk_mac_hex(mac, hex);
    if (name && strcmp(name, hex) == 0)
        name = NULL;
    /* the field's name too, as in add_named_uint */
    const char *field = proto_registrar_get_name(hf[AF_ADDR]);
    /* "Source: name (hex) (class)" or "Source: hex (class)" */
    macchk_concat(label, sizeof label, field, ": ", name ? name : hex, name ? " (" : "", name ? hex : "",
                  name ? ")" : "", " (", macchk_cast_name(c->cast), ", ", macchk_admin_key(c->admin), vnic_sep, vnic,
                  ")", NULL);
    ti = proto_tree_add_ether_format(tree, hf[AF_ADDR], NULL, 0, 0, mac, "%s", label);
    sub = proto_item_add_subtree(ti, ett_macchk_addr[role]);
    proto_item_set_generated(ti);
    /* for filters only, as ip.addr is: the address line says both (and the
     * virtual NIC, below); the subtree shows what the line does not */
    proto_item_set_hidden(proto_tree_add_uint(sub, hf[AF_CAST], NULL, 0, 0, c->cast));
    proto_item_set_hidden(proto_tree_add_uint(sub, hf[AF_ADMIN], NULL, 0, 0, c->admin));
    if (c->slap)
        add_named_uint(sub, hf[AF_SLAP], c->slap, macchk_slap_name(c->slap), NULL);
    if (c->range == MACCHK_RANGE_BROADCAST) /* the address line says it */
        proto_item_set_hidden(proto_tree_add_uint(sub, hf[AF_RANGE], NULL, 0, 0, c->range));
    else if (c->range) {
        const char *ll_name = c->range == MACCHK_RANGE_IEEE_LINK_LOCAL ?
                              macchk_link_local_name((uint8_t)c->range_detail) : NULL;
        add_named_uint(sub, hf[AF_RANGE], c->range, macchk_range_name(c->range), ll_name);
        item = proto_tree_add_uint(sub, hf[AF_RANGE_ID], NULL, 0, 0, c->range_detail);
        proto_item_set_generated(item);
    }
    if (c->vnic) /* the address line names it */
        proto_item_set_hidden(proto_tree_add_uint(sub, hf[AF_VNIC], NULL, 0, 0, c->vnic));
    /* display only, so looked up only when there is a tree to show it */
    if (tree && tracker && c->cast == MACCHK_CAST_UNICAST && net &&
        macchk_track_mac_duplicate(tracker, net, mac)) {
        item = proto_tree_add_boolean(sub, hf[AF_DUPLICATE], NULL, 0, 0, TRUE);
        proto_item_set_generated(item);
        proto_item_append_text(ti, " [duplicate]");
    }
    return ti;
}

/* What bridges dropping the frame means: a reply never reaches the
 * requester it answers; anything else, whoever it was meant for. */
static const char *dropped_effect(packet_info *pinfo, const macchk_result *r)
{
    if (r->has_arp && macchk_arp_has_addresses(&r->arp) && r->arp.opcode == MACCHK_ARP_REPLY)
        return wmem_strdup_printf(pinfo->pool, "this reply is dropped by Linux bridges and switches before it "
                                  "reaches %s", ipv4_str(pinfo, r->arp.tpa));
    return "Linux bridges and switches drop its frames";
}

static void add_source_findings(packet_info *pinfo, proto_item *ti, proto_tree *tree, const macchk_result *r)
{
    unsigned f = r->addr_findings;

    if (f & MACCHK_F_SRC_GROUP) {
        uint8_t guess[MACCHK_ADDR_LEN];
        macchk_class guess_class;
        macchk_unicast_guess(r->src, guess);
        macchk_classify(guess, &guess_class);
        /* the key fact first; the suggestion is also a field of its own */
        gboolean qemu_default = guess_class.vnic == MACCHK_VNIC_QEMU_DEFAULT;
        /* the key fact first, short enough never to be cut; the suggestion
         * is also an item of its own */
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ADDR, MACCHK_F_SRC_GROUP),
                               "Group-bit source MAC %s: %s (%s)", macchk_mac_str(pinfo, r->src),
                               dropped_effect(pinfo, r),
                               qemu_default ? "cleared: QEMU's default MAC; use a unique address in 52:54:00"
                                            : wmem_strdup_printf(pinfo->pool, "did you mean %s?",
                                                                 macchk_mac_str(pinfo, guess)));
        if (tree) {
            proto_item *item = proto_tree_add_ether(tree, hf_macchk_src_suggested, NULL, 0, 0, guess);
            proto_item_set_generated(item);
            if (qemu_default)
                proto_item_append_text(item, " (QEMU's default MAC: every guest started without mac= has it)");
        }
    }
    if (f & MACCHK_F_SRC_ZERO)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ADDR, MACCHK_F_SRC_ZERO),
                               "Source MAC is 00:00:00:00:00:00, not a station address: %s",
                               dropped_effect(pinfo, r));
    if (f & MACCHK_F_SRC_RESERVED)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ADDR, MACCHK_F_SRC_RESERVED),
                               "Source MAC %s is in the %s range: no real interface should use it",
                               macchk_mac_str(pinfo, r->src), macchk_range_name(r->src_class.range));
    if (f & MACCHK_F_SRC_CF)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ADDR, MACCHK_F_SRC_CF),
                               "Source MAC %s is in the CF-xx-xx block (RFC 2153): reserved for PPP, "
                               "never a station address, and its group bit is set",
                               macchk_mac_str(pinfo, r->src));
    if (f & MACCHK_F_QEMU_DEFAULT)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ADDR, MACCHK_F_QEMU_DEFAULT),
                               "Source MAC %s is QEMU's built-in default: every guest started without a "
                               "mac= option gets it, so two such guests on one bridge collide",
                               macchk_mac_str(pinfo, r->src));
    if (f & MACCHK_F_SRC_SLAP_RESERVED)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ADDR, MACCHK_F_SRC_SLAP_RESERVED),
                               "Source MAC %s is in the IEEE 802c SLAP reserved quadrant (x6): "
                               "no assignment scheme hands these out",
                               macchk_mac_str(pinfo, r->src));
}

static void add_arp_packet_findings(packet_info *pinfo, proto_item *ti, const macchk_result *r)
{
    unsigned f = r->arp_findings;
    const macchk_arp_packet *p = &r->arp;

    if (f & MACCHK_A_MALFORMED_SIZES)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ARP, MACCHK_A_MALFORMED_SIZES),
                               "Malformed ARP: hardware size %u and protocol size %u, but IPv4 over "
                               "Ethernet needs 6 and 4; the addresses cannot be read",
                               p->hlen, p->plen);
    if (f & MACCHK_A_MALFORMED_TRUNCATED)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ARP, MACCHK_A_MALFORMED_SIZES),
                               "Malformed ARP: the packet ends before the addresses its header announces");
    if (f & MACCHK_A_MALFORMED_OPCODE)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ARP, MACCHK_A_MALFORMED_SIZES),
                               "Malformed ARP: opcode %u is none of request, reply, RARP or InARP", p->opcode);
    if (f & MACCHK_A_SNAP_CUT)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ARP, MACCHK_A_SNAP_CUT),
                               "ARP packet cut by the capture's snap length: its addresses are not judged");
    if (f & MACCHK_A_SHA_GROUP)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ARP, MACCHK_A_SHA_GROUP),
                               "ARP sender MAC %s has the group bit set: hosts will not cache it and "
                               "bridges drop its frames", macchk_mac_str(pinfo, p->sha));
    if (f & MACCHK_A_SHA_ZERO)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ARP, MACCHK_A_SHA_GROUP),
                               "ARP sender MAC is 00:00:00:00:00:00: no host can be reached there");
    if (f & MACCHK_A_SPA_BAD)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ARP, MACCHK_A_SHA_GROUP),
                               "ARP sender IP %s is not a host address (0.0.0.0 outside a probe, "
                               "multicast or broadcast): check the sender's configuration",
                               ipv4_str(pinfo, p->spa));
    if (f & MACCHK_A_SENDER_MISMATCH)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ARP, MACCHK_A_SENDER_MISMATCH),
                               "Link-layer source %s differs from ARP sender MAC %s: a proxy, a "
                               "misbehaving bridge, or ARP spoofing",
                               macchk_mac_str(pinfo, r->src), macchk_mac_str(pinfo, p->sha));
    if (f & MACCHK_A_SENDER_VIRTUAL)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ARP, MACCHK_A_SENDER_VIRTUAL),
                               "Link-layer source %s differs from ARP sender MAC %s, a %s MAC: normal "
                               "for a virtual router (RFC 5798)",
                               macchk_mac_str(pinfo, r->src), macchk_mac_str(pinfo, p->sha),
                               macchk_is_virtual_router(&r->sha_class) ? macchk_range_name(r->sha_class.range)
                                                                       : macchk_range_name(r->src_class.range));
    if (f & MACCHK_A_TARGET_MISMATCH)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ARP, MACCHK_A_TARGET_MISMATCH),
                               "Reply sent to %s but its target MAC is %s", macchk_mac_str(pinfo, r->dst),
                               macchk_mac_str(pinfo, p->tha));
    if (f & MACCHK_A_UNICAST_REQUEST)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_ARP, MACCHK_A_UNICAST_REQUEST),
                               "Unicast ARP request to %s (a cache refresh, as Linux sends them)",
                               macchk_mac_str(pinfo, r->dst));
}

/* macchk.arp.kind: what kind of ARP packet (value_string names are the keywords) */
enum {
    ARP_KIND_UNKNOWN = 0,
    ARP_KIND_REQUEST,
    ARP_KIND_REPLY,
    ARP_KIND_PROBE,
    ARP_KIND_ANNOUNCEMENT,
    ARP_KIND_GRATUITOUS_REPLY,
    ARP_KIND_RARP_REQUEST,
    ARP_KIND_RARP_REPLY,
    ARP_KIND_INARP_REQUEST,
    ARP_KIND_INARP_REPLY
};

static const value_string arp_kind_vals[] = {
    {ARP_KIND_UNKNOWN, "unknown"},
    {ARP_KIND_REQUEST, "request"},
    {ARP_KIND_REPLY, "reply"},
    {ARP_KIND_PROBE, "probe"},
    {ARP_KIND_ANNOUNCEMENT, "announcement"},
    {ARP_KIND_GRATUITOUS_REPLY, "gratuitous reply"},
    {ARP_KIND_RARP_REQUEST, "RARP request"},
    {ARP_KIND_RARP_REPLY, "RARP reply"},
    {ARP_KIND_INARP_REQUEST, "InARP request"},
    {ARP_KIND_INARP_REPLY, "InARP reply"},
    {0, NULL},
};

/* The kind macchk_result names, as the field's value. */
static guint32 arp_kind(const macchk_result *r)
{
    return str_to_val(macchk_result_arp_kind(r), arp_kind_vals, ARP_KIND_UNKNOWN);
}

void macchk_add_generated_uint(proto_tree *tree, int hf, guint32 value)
{
    proto_item_set_generated(proto_tree_add_uint(tree, hf, NULL, 0, 0, value));
}

void macchk_add_time(proto_tree *tree, int hf, int64_t ns)
{
    nstime_t delta = macchk_ns_to_nstime(ns);
    proto_item_set_generated(proto_tree_add_time(tree, hf, NULL, 0, 0, &delta));
}

/* A link to another frame plus the time between the two. */
static void add_link(proto_tree *tree, int hf_frame, guint32 frame, int64_t ns)
{
    macchk_add_generated_uint(tree, hf_frame, frame);
    macchk_add_time(tree, hf_macchk_arp_response_time, ns);
}

static void add_exchange(proto_tree *tree, const macchk_arp_verdict *v)
{
    if (v->response_in)
        add_link(tree, hf_macchk_arp_response_in, v->response_in, v->response_time_ns);
    if (v->request_in)
        add_link(tree, hf_macchk_arp_request_in, v->request_in, v->request_time_ns);
    for (guint32 i = 1; i < MIN(v->n_answered, MACCHK_MAX_ANSWERED); i++)
        macchk_add_generated_uint(tree, hf_macchk_arp_also_answers, v->answered[i]);
    if (v->attempt) {
        macchk_add_generated_uint(tree, hf_macchk_arp_attempt, v->attempt);
        macchk_add_generated_uint(tree, hf_macchk_arp_attempts, v->attempts);
        macchk_add_generated_uint(tree, hf_macchk_arp_first_attempt, v->first_attempt);
    }
    if (v->late_request)
        macchk_add_generated_uint(tree, hf_macchk_arp_late_request, v->late_request);
    if (v->asked_again)
        macchk_add_generated_uint(tree, hf_macchk_arp_asked_again, v->asked_again);
}

/* "aa:bb:.. (first in frame 3) and 2 more" or an IP, for expert messages. */
static const char *others_str(packet_info *pinfo, const macchk_other *others, guint32 count, gboolean macs)
{
    /* the first one only: messages stay short, the tree lists them all */
    return wmem_strdup_printf(pinfo->pool, "%s (first in frame %u)%s", macs ? macchk_mac_str(pinfo, others[0].mac)
                                                                             : ipv4_str(pinfo, others[0].ip),
                              others[0].first_frame,
                              count > 1 ? wmem_strdup_printf(pinfo->pool, " and %u more", count - 1) : "");
}

static void add_others(proto_tree *tree, const macchk_other *others, guint32 count, gboolean macs)
{
    for (guint32 i = 0; i < MIN(count, MACCHK_MAX_OTHERS); i++) {
        proto_item *item = macs ? proto_tree_add_ether(tree, hf_macchk_arp_other_mac, NULL, 0, 0, others[i].mac)
                                : proto_tree_add_ipv4(tree, hf_macchk_dup_other_ip, NULL, 0, 0,
                                                      g_htonl(others[i].ip));
        proto_item_set_generated(item);
        item = proto_tree_add_uint(tree, macs ? hf_macchk_arp_other_mac_frame : hf_macchk_dup_other_ip_frame,
                                   NULL, 0, 0, others[i].first_frame);
        proto_item_set_generated(item);
    }
}

static void add_track_findings(packet_info *pinfo, proto_item *ti, const macchk_result *r)
{
    const macchk_arp_verdict *v = &r->verdict;
    const macchk_arp_packet *p = &r->arp;
    unsigned f = r->track_findings;

    if (f & MACCHK_T_UNANSWERED)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_UNANSWERED),
                               "%s asked for %s, no reply (try %u of %u, first in frame %u); %s",
                               ipv4_str(pinfo, p->spa), ipv4_str(pinfo, p->tpa), v->attempt, v->attempts,
                               v->first_attempt,
                               v->target_seen
                                   ? wmem_strdup_printf(pinfo->pool, "is %s up, and can its replies reach %s?",
                                                        ipv4_str(pinfo, p->tpa), macchk_mac_str(pinfo, p->sha))
                                   : wmem_strdup_printf(pinfo->pool, "%s is silent here: capture on its own "
                                                        "port (a VM's tap/vnet) for replies from a bad MAC",
                                                        ipv4_str(pinfo, p->tpa)));
    if (f & MACCHK_T_CAPTURE_ENDED)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_CAPTURE_ENDED),
                               "%s asked for %s; the capture ended %s s after it, less than the ARP timeout: "
                               "whether a reply came is unknown",
                               ipv4_str(pinfo, p->spa), ipv4_str(pinfo, p->tpa),
                               macchk_seconds_str(pinfo, v->capture_left_ns));
    if (f & MACCHK_T_NOT_ACCEPTED) {
        if (r->addr_findings & (MACCHK_F_SRC_GROUP | MACCHK_F_SRC_ZERO))
            expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_NOT_ACCEPTED),
                                   "Reply not accepted: %s asked %s again in frame %u; its %s source means a "
                                   "Linux bridge or switch dropped it before it reached %s",
                                   ipv4_str(pinfo, p->tpa), ipv4_str(pinfo, p->spa), v->asked_again,
                                   r->addr_findings & MACCHK_F_SRC_ZERO ? "all-zero" : "group-bit",
                                   ipv4_str(pinfo, p->tpa));
        else
            expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_NOT_ACCEPTED),
                                   "Reply not accepted: %s asked for %s again in frame %u, within the ARP "
                                   "timeout after this reply", ipv4_str(pinfo, p->tpa), ipv4_str(pinfo, p->spa),
                                   v->asked_again);
    }
    if (f & MACCHK_T_UNSOLICITED) {
        if (v->late_request)
            expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_UNSOLICITED),
                                   "Reply came too late: the request in frame %u is older than the ARP "
                                   "timeout", v->late_request);
        else
            expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_UNSOLICITED),
                                   "Unsolicited reply: no earlier request from %s for %s (cache poisoning "
                                   "looks like this; so does a capture that started late)",
                                   ipv4_str(pinfo, p->tpa), ipv4_str(pinfo, p->spa));
    }
    if (f & MACCHK_T_PROBE_DEFENDED)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_PROBE_DEFENDED),
                               "Address probe for %s was answered in frame %u: the address is already in "
                               "use (RFC 5227), the prober must not take it",
                               ipv4_str(pinfo, p->tpa), v->response_in);
    if (f & MACCHK_T_IP_CONFLICT)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_IP_CONFLICT),
                               "IP conflict: %s claimed by %s and at the same time by %s: ARP poisoning, "
                               "or two hosts with one address",
                               ipv4_str(pinfo, p->spa), macchk_mac_str(pinfo, p->sha),
                               others_str(pinfo, v->other_macs, v->n_other_macs, TRUE));
    if (f & MACCHK_T_IP_MOVED)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_IP_MOVED),
                               "%s moved to %s from %s (a replaced NIC, failover or DHCP)",
                               ipv4_str(pinfo, p->spa), macchk_mac_str(pinfo, p->sha),
                               others_str(pinfo, v->other_macs, v->n_other_macs, TRUE));
    if (f & MACCHK_T_DUP_MAC)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_DUP_MAC),
                               "Duplicate MAC: %s claims %s and at the same time %s: cloned guests, "
                               "QEMU's default MAC, proxy ARP or spoofing",
                               macchk_mac_str(pinfo, p->sha), ipv4_str(pinfo, p->spa),
                               others_str(pinfo, v->other_ips, v->n_other_ips, FALSE));
    if (f & MACCHK_T_VIRTUAL_MULTI_IP)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_VIRTUAL_MULTI_IP),
                               "%s MAC %s serves %s and %s: normal for a virtual router",
                               macchk_range_name(r->sha_class.range), macchk_mac_str(pinfo, p->sha),
                               ipv4_str(pinfo, p->spa), others_str(pinfo, v->other_ips, v->n_other_ips, FALSE));
    if (f & MACCHK_T_RENUMBERED)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_RENUMBERED),
                               "%s renumbered: now %s, before %s", macchk_mac_str(pinfo, p->sha),
                               ipv4_str(pinfo, p->spa), others_str(pinfo, v->other_ips, v->n_other_ips, FALSE));
    if (f & MACCHK_T_TABLE_FULL)
        expert_add_info_format(pinfo, ti, macchk_finding_ei(MACCHK_SET_TRACK, MACCHK_T_TABLE_FULL),
                               "macchk's tracking tables are full (%u entries, preference macchk.table_cap): "
                               "hosts first seen from here on are not followed", pref_table_cap);
}

static void add_arp(proto_tree *tree, packet_info *pinfo, const macchk_result *r, guint32 net_id)
{
    proto_item *ti;
    proto_tree *sub;

    ti = proto_tree_add_uint(tree, hf_macchk_arp_kind, NULL, 0, 0, arp_kind(r));
    proto_item_set_generated(ti);
    sub = proto_item_add_subtree(ti, ett_macchk_arp);
    add_arp_packet_findings(pinfo, ti, r);
    if (!macchk_arp_has_addresses(&r->arp))
        return;
    add_address(sub, ROLE_SHA, r->arp.sha, &r->sha_class, net_id);
    add_address(sub, ROLE_THA, r->arp.tha, &r->tha_class, net_id);
    if (!r->tracked)
        return;
    add_exchange(sub, &r->verdict);
    if (r->track_findings & (MACCHK_T_IP_CONFLICT | MACCHK_T_IP_MOVED))
        add_others(sub, r->verdict.other_macs, r->verdict.n_other_macs, TRUE);
    if (r->track_findings & (MACCHK_T_DUP_MAC | MACCHK_T_RENUMBERED | MACCHK_T_VIRTUAL_MULTI_IP))
        add_others(sub, r->verdict.other_ips, r->verdict.n_other_ips, FALSE);
    add_track_findings(pinfo, ti, r);
}

/* One finding's short reason, with the detail that tells most. */
static const char *reason_of(packet_info *pinfo, const macchk_result *r, const macchk_finding_info *f)
{
    if (f->set == MACCHK_SET_TRACK && f->bit == MACCHK_T_UNANSWERED && r->verdict.attempts > 1)
        return wmem_strdup_printf(pinfo->pool, "%s \xc3\x97%u", f->reason, r->verdict.attempts);
    if (f->set == MACCHK_SET_NDTRACK && f->bit == MACCHK_N_UNANSWERED && r->nd_verdict.attempts > 1)
        return wmem_strdup_printf(pinfo->pool, "%s \xc3\x97%u", f->reason, r->nd_verdict.attempts);
    if (f->set == MACCHK_SET_TRACK && (f->bit & (MACCHK_T_IP_CONFLICT | MACCHK_T_IP_MOVED)) && r->verdict.n_other_macs)
        return wmem_strdup_printf(pinfo->pool, "%s %s %s", f->reason,
                                  f->bit == MACCHK_T_IP_CONFLICT ? "with" : "from",
                                  macchk_mac_str(pinfo, r->verdict.other_macs[0].mac));
    if (f->set == MACCHK_SET_NDTRACK && (f->bit & (MACCHK_N_IP_CONFLICT | MACCHK_N_IP_MOVED)) &&
        r->nd_verdict.n_other_macs)
        return wmem_strdup_printf(pinfo->pool, "%s %s %s", f->reason,
                                  f->bit == MACCHK_N_IP_CONFLICT ? "with" : "from",
                                  macchk_mac_str(pinfo, r->nd_verdict.other_macs[0].mac));
    return f->reason;
}

/* macchk.reason: every finding's short reason, Warnings first, so that a
 * packet-list column says why a frame is flagged. */
static void add_reason(proto_tree *tree, packet_info *pinfo, const macchk_result *r)
{
    wmem_strbuf_t *buf;
    size_t n;
    const macchk_finding_info *f = macchk_findings(&n);

    if (!macchk_result_has_findings(r))
        return;
    buf = wmem_strbuf_new(pinfo->pool, "");
    for (int warnings = 1; warnings >= 0; warnings--)
        for (size_t i = 0; i < n; i++) {
            gboolean warning = macchk_finding_severity(&f[i], !session.policy.dup_mac_is_warning) == MACCHK_SEV_WARNING;
            const char *reason;
            if (!(macchk_result_findings(r, f[i].set) & f[i].bit) || warning != (warnings == 1))
                continue;
            reason = reason_of(pinfo, r, &f[i]);
            if (!strstr(wmem_strbuf_get_str(buf), reason)) /* sub-findings may share a reason */
                wmem_strbuf_append_printf(buf, "%s%s", wmem_strbuf_get_len(buf) ? "; " : "", reason);
        }
    if (wmem_strbuf_get_len(buf))
        proto_item_set_generated(proto_tree_add_string(tree, hf_macchk_reason, NULL, 0, 0, wmem_strbuf_get_str(buf)));
}

/* The frame's subtree: everything found, as fields and expert infos.
 * Kept apart from the analysis so that frames dissected without a tree
 * (tshark -r, taps) run only the short path in dissect_macchk. */
static G_GNUC_NO_INLINE void show_result(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const macchk_result *r)
{
    proto_item *root, *item;
    proto_tree *macchk_tree;
    guint32 net_id;

    if (tree) {
        /* the network in the subtree's own line (as IPv4 names its
         * addresses there): one line less per frame under -V */
        char name[MACCHK_NET_NAME_LEN];
        macchk_net_format(&r->net, name, sizeof name);
        char label[ITEM_LABEL_LENGTH];
        macchk_concat(label, sizeof label, "MAC Address Check, network ", name, r->invalid ? " [invalid]" : "", NULL);
        /* set_text: protocol_format would print the label twice over */
        root = proto_tree_add_item(tree, proto_macchk, tvb, 0, 0, ENC_NA);
        proto_item_set_text(root, "%s", label);
        macchk_tree = proto_item_add_subtree(root, ett_macchk);
        proto_item_set_hidden(proto_tree_add_string(macchk_tree, hf_macchk_network, NULL, 0, 0, name));
    } else
        macchk_tree = NULL;
    macchk_gui_frame(macchk_tree);
    net_id = tree && tracker ? macchk_track_find_network(tracker, &r->net) : 0;
    if (r->invalid) {
        item = proto_tree_add_boolean(macchk_tree, hf_macchk_invalid, NULL, 0, 0, TRUE);
        proto_item_set_generated(item);
    }
    if (tree)
        add_reason(macchk_tree, pinfo, r);
    if (r->has_src) {
        item = add_address(macchk_tree, ROLE_SRC, r->src, &r->src_class, net_id);
        add_source_findings(pinfo, item, item ? proto_item_get_subtree(item) : NULL, r);
    }
    if (r->has_dst) {
        item = add_address(macchk_tree, ROLE_DST, r->dst, &r->dst_class, net_id);
        if (r->addr_findings & MACCHK_F_DST_ZERO)
            expert_add_info_format(pinfo, item, macchk_finding_ei(MACCHK_SET_ADDR, MACCHK_F_DST_ZERO),
                                   "Destination MAC is 00:00:00:00:00:00: no station has it, the frame "
                                   "reaches nobody (often an unresolved neighbour written out as zeros)");
    }
    if (r->has_arp)
        add_arp(macchk_tree, pinfo, r, net_id);
    if (r->has_nd)
        macchk_nd_show(macchk_tree, pinfo, r);
}

static int dissect_macchk(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    /* Taps read the result after the dissection, so only then must it
     * outlive this call; otherwise the stack (hotter than the frame's pool)
     * holds it.  Everything shown or noted from it is copied. */
    gboolean tapped = have_tap_listener(macchk_tap);
    macchk_result on_stack, *r = tapped ? wmem_new(pinfo->pool, macchk_result) : &on_stack;

    macchk_result_start(r);
    r->session = &session;
    pinfo->current_proto = "MACCHK"; /* for expert infos: the helper handle does not set it */
    if (!PINFO_FD_VISITED(pinfo) && tracker) {
        macchk_track_clock(tracker, macchk_time_ns(&pinfo->abs_ts));
        macchk_nd_clock(pinfo);
    }
    analyse_frame(tvb, pinfo, r);
    if (tapped)
        tap_queue_packet(macchk_tap, pinfo, r); /* frames without addresses too: the report counts them */
    if (!macchk_result_has_addresses(r))
        return 0;
    /* without a tree only findings leave a trace (the frame's expert severity) */
    if (tree || macchk_result_has_findings(r))
        show_result(tvb, pinfo, tree, r);
    else
        macchk_gui_frame(NULL);
    return tvb_captured_length(tvb);
}

/* --- Registration ------------------------------------------------------ */

/* value_string of an enumeration, from its keyword function (NULL-terminated). */
static void fill_vals(value_string *vals, unsigned first, unsigned count, const char *(*key)(unsigned))
{
    for (unsigned i = 0; i < count; i++)
        vals[i] = (value_string){first + i, key(first + i)};
    vals[count] = (value_string){0, NULL};
}

static const char *cast_key(unsigned v) { return macchk_cast_name((macchk_cast)v); }
static const char *admin_key(unsigned v) { return macchk_admin_key((macchk_admin)v); }
static const char *slap_key(unsigned v) { return macchk_slap_key((macchk_slap)v); }
static const char *range_key(unsigned v) { return macchk_range_key((macchk_range)v); }
static const char *vnic_key(unsigned v) { return macchk_vnic_key((macchk_vnic)v); }

static void register_address_fields(void)
{
    int n = 0;

    /* value 0 of SLAP, range and vNIC means "none": never shown */
    fill_vals(cast_vals, 0, MACCHK_CAST_ZERO + 1, cast_key);
    fill_vals(admin_vals, 0, MACCHK_ADMIN_LOCAL + 1, admin_key);
    fill_vals(slap_vals, 1, MACCHK_SLAP_RESERVED, slap_key);
    fill_vals(range_vals, 1, MACCHK_RANGE_COUNT - 1, range_key);
    fill_vals(vnic_vals, 1, MACCHK_VNIC_COUNT - 1, vnic_key);

    for (int role = 0; role < ROLE_COUNT; role++) {
        for (int f = 0; f < AF_COUNT; f++) {
            hf_register_info *info = &hf_macchk_addr_info[n++];
            hf_macchk_addr[role][f] = -1;
            g_snprintf(hf_macchk_addr_abbrev[role][f], sizeof hf_macchk_addr_abbrev[role][f], "%s%s",
                       roles[role].abbrev, addr_fields[f].suffix);
            info->p_id = &hf_macchk_addr[role][f];
            info->hfinfo.name = f == AF_ADDR ? roles[role].name : addr_fields[f].name;
            info->hfinfo.abbrev = hf_macchk_addr_abbrev[role][f];
            info->hfinfo.type = addr_fields[f].type;
            info->hfinfo.display = addr_fields[f].display;
            info->hfinfo.strings = addr_fields[f].vals ? VALS(addr_fields[f].vals) : NULL;
            info->hfinfo.blurb = addr_fields[f].blurb;
            info->hfinfo.id = -1;
            info->hfinfo.parent = -1;
            info->hfinfo.ref_type = HF_REF_TYPE_NONE;
            info->hfinfo.same_name_prev_id = -1;
        }
        ett_macchk_addr[role] = -1;
    }
    proto_register_field_array(proto_macchk, hf_macchk_addr_info, n);
}

void proto_register_macchk(void)
{
    static hf_register_info hf[] = {
        {&hf_macchk_invalid, {"Invalid", "macchk.invalid", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
                              "Present only on frames with at least one Warning-level macchk finding", HFILL}},
        {&hf_macchk_reason, {"Reason", "macchk.reason", FT_STRING, BASE_NONE, NULL, 0x0,
                             "Why the frame is flagged, in short: every finding, Warnings first", HFILL}},
        {&hf_macchk_network, {"Network", "macchk.network", FT_STRING, BASE_NONE, NULL, 0x0,
                              "Capture interface and VLAN IDs / VXLAN VNIs the frame was carried in: "
                              "neighbour resolution is followed within one network", HFILL}},
        {&hf_macchk_src_suggested, {"Suggested MAC", "macchk.src.suggested", FT_ETHER, BASE_NONE, NULL, 0x0,
                                    "The source with its group bit cleared: most likely what was meant",
                                    HFILL}},
        {&hf_macchk_arp_also_answers, {"Also answers", "macchk.arp.also_answers", FT_FRAMENUM, BASE_NONE,
                                       FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
                                       "Later requests (retries) this reply answers too", HFILL}},
        {&hf_macchk_arp_asked_again, {"Asked again in", "macchk.arp.asked_again", FT_FRAMENUM, BASE_NONE,
                                      FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
                                      "The requester asked again within the ARP timeout after this reply: "
                                      "it did not take it", HFILL}},
        {&hf_macchk_arp_kind, {"ARP", "macchk.arp.kind", FT_UINT8, BASE_NONE, VALS(arp_kind_vals), 0x0,
                               "request, reply, probe, announcement, gratuitous reply, RARP or InARP", HFILL}},
        {&hf_macchk_arp_request_in, {"Request in", "macchk.arp.request_in", FT_FRAMENUM, BASE_NONE,
                                     FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
                                     "The (first) request this reply answers", HFILL}},
        {&hf_macchk_arp_response_in, {"Response in", "macchk.arp.response_in", FT_FRAMENUM, BASE_NONE,
                                      FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
                                      "The reply that answers this request", HFILL}},
        {&hf_macchk_arp_response_time, {"Response time", "macchk.arp.response_time", FT_RELATIVE_TIME,
                                        BASE_NONE, NULL, 0x0, "Time between request and reply", HFILL}},
        {&hf_macchk_arp_attempt, {"Attempt", "macchk.arp.attempt", FT_UINT32, BASE_DEC, NULL, 0x0,
                                  "This request's number among the sender's requests for the same address",
                                  HFILL}},
        {&hf_macchk_arp_attempts, {"Attempts", "macchk.arp.attempts", FT_UINT32, BASE_DEC, NULL, 0x0,
                                   "Requests for the same address from the same sender in this exchange",
                                   HFILL}},
        {&hf_macchk_arp_first_attempt, {"First attempt in", "macchk.arp.first_attempt", FT_FRAMENUM,
                                        BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, NULL, HFILL}},
        {&hf_macchk_arp_late_request, {"Request (too old) in", "macchk.arp.late_request", FT_FRAMENUM,
                                       BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
                                       "A request this reply would answer, but beyond the ARP timeout", HFILL}},
        {&hf_macchk_arp_other_mac, {"Other MAC claiming the IP", "macchk.arp.other_mac", FT_ETHER, BASE_NONE,
                                    NULL, 0x0, NULL, HFILL}},
        {&hf_macchk_arp_other_mac_frame, {"Other MAC first seen in", "macchk.arp.other_mac_frame", FT_FRAMENUM,
                                          BASE_NONE, NULL, 0x0, NULL, HFILL}},
        {&hf_macchk_dup_other_ip, {"Other IP claimed by the MAC", "macchk.dup.other_ip", FT_IPv4, BASE_NONE,
                                   NULL, 0x0, NULL, HFILL}},
        {&hf_macchk_dup_other_ip_frame, {"Other IP first seen in", "macchk.dup.other_ip_frame", FT_FRAMENUM,
                                         BASE_NONE, NULL, 0x0, NULL, HFILL}},
    };
    static gint *ett[] = {&ett_macchk, &ett_macchk_arp, &ett_macchk_addr[ROLE_SRC],
                          &ett_macchk_addr[ROLE_DST], &ett_macchk_addr[ROLE_SHA], &ett_macchk_addr[ROLE_THA]};
    static const enum_val_t dup_severities[] = {
        {"warning", "Warning", TRUE},
        {"note", "Note (proxy ARP on this network)", FALSE},
        {NULL, NULL, 0},
    };
    module_t *module;

    proto_macchk = proto_register_protocol("MAC Address Check", "MACCHK", "macchk");
    proto_macchk_post = proto_register_protocol_in_name_only("MAC Address Check (every frame)", "MACCHK",
                                                             "macchk.postdissector", proto_macchk, FT_PROTOCOL);
    register_address_fields();
    proto_register_field_array(proto_macchk, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    macchk_nd_register(proto_macchk);
    register_expert_infos(expert_register_protocol(proto_macchk));

    module = prefs_register_protocol(proto_macchk, check_table_cap);
    prefs_register_uint_preference(module, "arp_timeout_ms", "ARP reply timeout (ms)",
                                   "A reply answers a request only if it comes within this many "
                                   "milliseconds of the request (of its latest retry)",
                                   10, &pref_arp_timeout_ms);
    prefs_register_uint_preference(module, "table_cap", "Tracking table cap (entries, 1-16777216)",
                                   "Most entries in each of macchk's per-file tables: IPv4/MAC bindings and "
                                   "ARP exchanges followed, hosts and problem groups the report keeps.  Once a "
                                   "table is full new keys are not followed and macchk says so once.  Values "
                                   "outside 1-16777216 are clamped to the nearer bound, with a warning",
                                   10, &pref_table_cap);
    prefs_register_enum_preference(module, "dup_mac_severity", "Duplicate MAC severity",
                                   "Severity of one MAC claiming several IPv4 addresses at once",
                                   &pref_dup_mac_is_warning, dup_severities, FALSE);
    prefs_register_bool_preference(module, "note_unicast_request", "Note unicast ARP requests",
                                   "Report requests sent to a unicast MAC (Linux cache refreshes)",
                                   &pref_note_unicast_request);
    prefs_register_bool_preference(module, "note_target_mismatch", "Note target mismatches",
                                   "Report replies whose link-layer destination is not their target MAC",
                                   &pref_note_target_mismatch);
    prefs_register_bool_preference(module, "note_unsolicited", "Note unsolicited replies",
                                   "Report replies that answer no earlier request", &pref_note_unsolicited);
    prefs_register_bool_preference(module, "note_changes", "Note moved and renumbered addresses",
                                   "Report an IPv4 address moving to another MAC and a MAC changing its IPv4 "
                                   "address (non-overlapping)", &pref_note_changes);
    prefs_register_bool_preference(module, "note_qemu_default", "Note QEMU's default MAC",
                                   "Report sources using QEMU's built-in default MAC 52:54:00:12:34:5x",
                                   &pref_note_qemu_default);
    prefs_register_bool_preference(module, "note_slap_reserved", "Note SLAP reserved quadrant",
                                   "Report sources in the IEEE 802c SLAP reserved quadrant",
                                   &pref_note_slap_reserved);
    register_allow_list(module);

    macchk_nd_register_prefs(module);
    register_init_routine(macchk_init);
    register_cleanup_routine(macchk_cleanup);
    macchk_tap = register_tap(MACCHK_TAP_NAME);
}

void proto_reg_handoff_macchk(void)
{
    /* The postdissector runs for every frame.  Its handle belongs to a
     * helper protocol of macchk, so macchk's enabled state still decides
     * whether it runs, but Wireshark adds no protocol layer for it on every
     * frame (a list append and a map insert each time; frame.protocols
     * never showed postdissectors anyway). */
    dissector_handle_t macchk_handle = create_dissector_handle(dissect_macchk, proto_macchk_post);
    dissector_handle_t arp_front, tag_front_handle;

    register_postdissector(macchk_handle);
    arp_handle = find_dissector_add_dependency("arp", proto_macchk);
    pbb_handle = dissector_get_uint_handle(find_dissector_table("ethertype"), ETHERTYPE_PBB_);
    /* The front-ends belong to no protocol, so they add no layer to
     * frame.protocols and keep ARP working when macchk is disabled. */
    arp_front = create_dissector_handle_with_name_and_description(dissect_macchk_arp_front, -1, "macchk_arp",
                                                                  "ARP/RARP (seen by MAC Address Check)");
    dissector_add_uint("ethertype", ETHERTYPE_ARP_, arp_front);
    dissector_add_uint("ethertype", ETHERTYPE_RARP_, arp_front);
    dissector_add_uint("gre.proto", ETHERTYPE_ARP_,
                       create_dissector_handle_with_name_and_description(
                           dissect_macchk_arp_gre_front, -1, "macchk_arp_gre",
                           "ARP in GRE (seen by MAC Address Check)"));
    tag_front_handle = create_dissector_handle_with_name_and_description(
        dissect_macchk_tag_front, -1, "macchk_tag", "VLAN tag / VXLAN header (seen by MAC Address Check)");
    for (size_t i = 0; i < array_length(tag_fronts); i++) {
        tag_fronts[i].wrapped = dissector_get_uint_handle(find_dissector_table(tag_fronts[i].table),
                                                          tag_fronts[i].value);
        if (tag_fronts[i].wrapped)
            dissector_add_uint(tag_fronts[i].table, tag_fronts[i].value, tag_front_handle);
    }
    if (pbb_handle)
        dissector_add_uint("ethertype", ETHERTYPE_PBB_,
                           create_dissector_handle_with_name_and_description(
                               dissect_macchk_pbb_front, -1, "macchk_pbb",
                               "IEEE 802.1ah (seen by MAC Address Check)"));
    macchk_nd_handoff();
    wlan_address_type = address_type_get_by_name("AT_ETHER_WLAN");
    macchk_register_stats();
    macchk_gui_register(proto_macchk);
}
