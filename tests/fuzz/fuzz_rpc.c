/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fuzz_rpc.c: libFuzzer target for the control socket's request
 * parser: the JSON-RPC envelope and the parameter checking of every bridge,
 * port, FDB and switch method, on a live switch state (DPDK without
 * hugepages, no PMD). Ports are the link seam (every function of
 * control/bridge/bridge_port.c): vs_port_add checks its options with the
 * real parser but never opens a device, so a fuzzer cannot create tap
 * interfaces on the host. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_ctl.h"
#include "bridge_int.h"
#include "fuzz_switch.h"
#include "rpc.h"
#include "rpc_methods.h"
#include "switch.h"

static struct vs_switch *sw;
static struct vs_rpc *rpc;

int
vs_port_add(struct vs_switch *s, const char *bridge, const char *name, const char *type,
	    const struct vs_kv *kv, unsigned int n_kv, const json_t *entry, struct vs_err *err)
{
	const struct vs_port_ops *ops = vs_port_type_find(type);
	struct vs_port_conf conf;

	if (vs_bridge_find(s, bridge) == NULL)
		return vs_err_set(err, -ENOENT, "no bridge named %s", bridge);
	if (ops == NULL)
		return vs_err_set(err, -EINVAL, "unknown port type");
	if (!vs_name_valid(name))
		return vs_err_set(err, -EINVAL, "invalid port name");
	return vs_port_conf_parse(ops, kv, n_kv, &conf, err);
}

int
vs_port_del(struct vs_switch *s, const char *name, const char *bridge, struct vs_err *err)
{
	return vs_err_set(err, -ENOENT, "no port named %s", name);
}

void
vs_port_remove(struct vs_switch *s, struct vs_port *port)
{
}

int
vs_port_set(struct vs_switch *s, const char *name, const struct vs_kv *kv, unsigned int n,
	    char *warn, size_t wsize, struct vs_err *err)
{
	return vs_err_set(err, -ENOENT, "no port named %s", name);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sw = fuzz_switch_new();
	if (vs_rpc_create(&rpc, sw, NULL, NULL, 1 << 20, NULL) < 0 || vs_rpc_methods_init(rpc) < 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *resp = vs_rpc_handle(rpc, (const char *)data, size);
	unsigned int i;

	json_decref(resp);
	/* Keep the state small and the runs independent: only br0 stays. */
	for (i = 0; i < VS_MAX_BRIDGES; i++)
		if (sw->bridges[i] != NULL && strcmp(sw->bridges[i]->name, "br0") != 0)
			vs_bridge_del(sw, sw->bridges[i]->name, NULL);
	return 0;
}
