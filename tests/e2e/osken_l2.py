# SPDX-License-Identifier: BSD-3-Clause
"""tests/e2e/osken_l2.py: an os-ken application in the shape of Ryu's
classic simple_switch_13, for tests/e2e/test_controller.py (Debian's
python3-os-ken ships no sample apps). At FEATURES it installs the
table-miss rule (priority 0, match-all, actions=CONTROLLER:65535, cookie
TABLE_MISS_COOKIE); on each packet-in it learns the source MAC's port,
installs priority=1,in_port,eth_dst -> output when the destination is
known (cookie LEARNT_COOKIE), and sends the packet on with a packet-out
(buffer NO_BUFFER, the packet-in's data), flooding unknown destinations.

Every packet-in is written as one JSON line to $OSKEN_L2_LOG (reason,
table_id, cookie, in_port, total_len, data length, buffer_id, eth src
and dst), and each switch's connection as {"event": "features", ...}:
the test reads what the controller saw."""
import json
import os

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_3

TABLE_MISS_COOKIE = 0x7ab1e0
LEARNT_COOKIE = 0x1ea2
# Packet-outs of learnt destinations still go out; the rule takes the rest.
IDLE_TIMEOUT = int(os.environ.get("OSKEN_L2_IDLE", "0"))


class L2Switch(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mac_to_port = {}
        self.log = open(os.environ.get("OSKEN_L2_LOG", "/dev/null"), "a", buffering=1)

    def record(self, **kv):
        self.log.write(json.dumps(kv) + "\n")

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def switch_features_handler(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        # A new session learns afresh, as simple_switch_13 does.
        self.mac_to_port[dp.id] = {}
        actions = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)]
        self.add_flow(dp, 0, parser.OFPMatch(), actions, TABLE_MISS_COOKIE)
        self.record(event="features", dpid=dp.id, n_buffers=ev.msg.n_buffers,
                    n_tables=ev.msg.n_tables)

    def add_flow(self, dp, priority, match, actions, cookie, idle=0):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        inst = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]
        dp.send_msg(parser.OFPFlowMod(datapath=dp, cookie=cookie, priority=priority,
                                      match=match, instructions=inst, idle_timeout=idle))

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in_handler(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match["in_port"]
        eth = packet.Packet(msg.data).get_protocols(ethernet.ethernet)[0]
        self.record(event="packet_in", reason=msg.reason, table_id=msg.table_id,
                    cookie=msg.cookie, in_port=in_port, total_len=msg.total_len,
                    data_len=len(msg.data), buffer_id=msg.buffer_id,
                    match={k: v for k, v in msg.match.items()},
                    src=eth.src, dst=eth.dst)
        macs = self.mac_to_port.setdefault(dp.id, {})
        macs[eth.src] = in_port
        out_port = macs.get(eth.dst, ofp.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            match = parser.OFPMatch(in_port=in_port, eth_dst=eth.dst)
            self.add_flow(dp, 1, match, actions, LEARNT_COOKIE, IDLE_TIMEOUT)
        dp.send_msg(parser.OFPPacketOut(datapath=dp, buffer_id=ofp.OFP_NO_BUFFER,
                                        in_port=in_port, actions=actions, data=msg.data))
