/* test_net.c - unit tests for macchk_net: tags, keys, names. */
#include "macchk_net.h"
#include "unit.h"

#include <string.h>

static void test_format(void)
{
    char name[MACCHK_NET_NAME_LEN];
    macchk_net n = {0};
    macchk_net_format(&n, name, sizeof name);
    CHECK_EQ_STR(name, "if 0");
    n.iface = 3;
    macchk_net_push(&n, MACCHK_TAG_VLAN, 10);
    macchk_net_push(&n, MACCHK_TAG_VLAN, 20);
    macchk_net_push(&n, MACCHK_TAG_VNI, 5000);
    macchk_net_format(&n, name, sizeof name);
    CHECK_EQ_STR(name, "if 3 / vlan 10 / vlan 20 / vni 5000");
    macchk_net_format(&n, name, 8);  /* cut, still terminated */
    CHECK_EQ_STR(name, "if 3 / ");
    macchk_net_format(&n, name, 0);  /* nothing written */

    macchk_net deep = {.iface = 4294967295u};
    for (int i = 0; i < MACCHK_NET_MAX_TAGS + 2; i++)
        macchk_net_push(&deep, MACCHK_TAG_VLAN, 4095);
    CHECK_EQ_INT(deep.n_tags, MACCHK_NET_MAX_TAGS + 2);
    macchk_net_format(&deep, name, sizeof name);
    CHECK(strstr(name, "if 4294967295 / vlan 4095") == name);
    CHECK(strstr(name, " / +2 more") != NULL);
    CHECK(strlen(name) < sizeof name - 1);  /* the longest name fits */
}

static void test_keys(void)
{
    macchk_net a = {0}, b = {0}, c = {0}, d = {.iface = 1};
    uint64_t ka[2], kb[2], kc[2], kd[2];
    macchk_net_push(&a, MACCHK_TAG_VLAN, 10);
    macchk_net_push(&a, MACCHK_TAG_VLAN, 20);
    macchk_net_push(&b, MACCHK_TAG_VLAN, 10);
    macchk_net_push(&b, MACCHK_TAG_VLAN, 20);
    macchk_net_push(&c, MACCHK_TAG_VLAN, 20);  /* the same tags, other order */
    macchk_net_push(&c, MACCHK_TAG_VLAN, 10);
    macchk_net_key(&a, &ka[0], &ka[1]);
    macchk_net_key(&b, &kb[0], &kb[1]);
    macchk_net_key(&c, &kc[0], &kc[1]);
    macchk_net_key(&d, &kd[0], &kd[1]);
    CHECK(ka[0] == kb[0] && ka[1] == kb[1]);
    CHECK(ka[0] != kc[0] || ka[1] != kc[1]);
    macchk_net e = {0}, f = {0};
    macchk_net_push(&e, MACCHK_TAG_VLAN, 5);
    macchk_net_push(&f, MACCHK_TAG_VNI, 5);  /* same id, other kind */
    uint64_t ke[2], kf[2], k0[2];
    macchk_net_key(&e, &ke[0], &ke[1]);
    macchk_net_key(&f, &kf[0], &kf[1]);
    CHECK(ke[0] != kf[0] || ke[1] != kf[1]);
    macchk_net zero = {0};
    macchk_net_key(&zero, &k0[0], &k0[1]);
    CHECK(k0[0] != kd[0] || k0[1] != kd[1]);  /* interface 0 vs 1 */
    /* a priority tag (VLAN 0) leaves the frame in its network; VLAN 1 does not */
    macchk_net prio = {0}, one = {0};
    uint64_t kp[2], k1[2];
    macchk_net_push(&prio, MACCHK_TAG_VLAN, 0);
    macchk_net_push(&one, MACCHK_TAG_VLAN, 1);
    CHECK_EQ_INT(prio.n_tags, 0);
    macchk_net_key(&prio, &kp[0], &kp[1]);
    macchk_net_key(&one, &k1[0], &k1[1]);
    CHECK(kp[0] == k0[0] && kp[1] == k0[1]);
    CHECK(k1[0] != k0[0] || k1[1] != k0[1]);
    macchk_net vni0 = {0};
    macchk_net_push(&vni0, MACCHK_TAG_VNI, 0);  /* VNI 0 is a real segment */
    CHECK_EQ_INT(vni0.n_tags, 1);
}

int main(void)
{
    test_format();
    test_keys();
    return unit_report("test_net");
}
