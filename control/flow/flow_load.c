/* SPDX-License-Identifier: BSD-3-Clause */
/* control/flow/flow_load.c: the config file's rules at start, and the ones
 * among them that wait for a port (installed when it comes). Above the
 * table (control/flow/flow_table.c), whose internal changes it drives
 * without saving (the file has these rules already), and the rules' text
 * (control/flow/flow_persist.c). */
#include <errno.h>
#include <stdlib.h>

#include "flow_table.h"
#include "flow_table_int.h"
#include "log.h"
#include "switch.h"

/* Parse the waiting rules of 'p'; the ones that parse now go to 'specs'
 * and leave 'p'. */
static uint32_t
take_pending(struct vs_switch *sw, struct vs_bridge *br, json_t *p, struct vs_flow_spec *specs)
{
	struct vs_err err;
	uint32_t n = 0;
	size_t i = 0;
	json_t *e;

	while ((e = json_array_get(p, i)) != NULL) {
		const char *text = json_string_value(json_object_get(e, "flow"));

		if (vs_flows_parse(sw, br, text, VS_FLOW_PARSE_ADD, &specs[n], &err) == 0) {
			n++;
			json_array_remove(p, i);
		} else {
			json_object_set_new(e, "error", json_string(err.msg));
			i++;
		}
	}
	return n;
}

void
vs_flows_port_added(struct vs_switch *sw, struct vs_bridge *br)
{
	json_t *left;
	struct vs_flow_spec *specs;
	struct vs_err err;
	uint32_t n;

	if (br->flows == NULL || json_array_size(br->flows->pending) == 0)
		return;
	specs = malloc(sizeof(*specs) * json_array_size(br->flows->pending));
	left = json_deep_copy(br->flows->pending);
	if (specs == NULL || left == NULL) {
		free(specs);
		json_decref(left);
		return;
	}
	n = take_pending(sw, br, left, specs);
	if (n == 0) { /* none can go in yet: keep their new reasons */
		json_decref(br->flows->pending);
		br->flows->pending = left;
		vs_flows_pending_changed(sw, br);
	} else if (vs_flows_add_waiting(sw, br, specs, n, left, &err) < 0)
		VS_LOG(ERR, "bridge %s: cannot install its waiting flow rules: %s", br->name,
		       err.msg);
	else
		VS_LOG(INFO, "bridge %s: %u waiting flow rule(s) installed", br->name, n);
	free(specs);
}

int
vs_flows_load(struct vs_switch *sw, struct vs_bridge *br, const json_t *texts, struct vs_err *err)
{
	struct vs_flow_spec *specs;
	json_t *pending, *e;
	struct vs_err perr;
	uint32_t n = 0;
	size_t i;
	int ret;

	if (!json_is_array(texts))
		return vs_err_set(err, -EINVAL, "\"flows\" must be an array of flow rules");
	specs = malloc(sizeof(*specs) * (json_array_size(texts) + 1));
	pending = json_array();
	if (specs == NULL || pending == NULL) {
		free(specs);
		json_decref(pending);
		return vs_err_set(err, -ENOMEM, "out of memory");
	}
	json_array_foreach (texts, i, e) {
		const char *text = json_string_value(e);

		if (text == NULL) {
			VS_LOG(ERR, "config: bridge %s: flow #%zu is not a string; skipped",
			       br->name, i + 1);
			continue;
		}
		if (vs_flows_parse(sw, br, text, VS_FLOW_PARSE_ADD, &specs[n], &perr) == 0) {
			n++;
			continue;
		}
		VS_LOG(WARNING, "config: bridge %s: flow '%s' waits: %s", br->name, text, perr.msg);
		json_array_append_new(pending,
				      json_pack("{s:s, s:s}", "flow", text, "error", perr.msg));
	}
	ret = vs_flows_set_loaded(sw, br, specs, n, pending, err);
	free(specs);
	return ret;
}
