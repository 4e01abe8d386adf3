"""A WHIP client on GStreamer's webrtcbin: publishes a VP8 test pattern to the WHIP URL with a bearer
token, for the given number of seconds, then DELETEs the session.

Usage: gstreamer_whip_publish.py <whip url> <token> <seconds>

webrtcbin (GStreamer 1.22) gathers host candidates on every interface; the SFU in loopback mode
refuses checks from any other source, so the script restricts the underlying NiceAgent to 127.0.0.1
before gathering starts (libnice gathers only the local addresses it was given, if any).
"""
import sys
import urllib.error
import urllib.parse
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("Nice", "0.1")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC, Nice  # noqa: E402

url, token, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
Gst.init(None)
pipeline = Gst.parse_launch(
    "webrtcbin name=webrtc bundle-policy=max-bundle "
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 "
    "! vp8enc deadline=1 keyframe-max-dist=30 ! rtpvp8pay pt=96 "
    "! application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000 ! webrtc.")
webrtc = pipeline.get_by_name("webrtc")
# Both wrappers stay referenced for the whole run: PyGObject takes the ice-agent (a never-sunk
# floating GstObject) as its own reference, and dropping the wrapper would destroy webrtcbin's agent.
ice = webrtc.get_property("ice-agent")
agent = ice.get_property("agent")
loopback = Nice.Address.new()
loopback.set_from_string("127.0.0.1")
agent.add_local_address(loopback)
loop = GLib.MainLoop()
session = {}


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def request(method, target, body=None, content_type=None):
    req = urllib.request.Request(target, data=body, method=method, headers={"Authorization": "Bearer " + token})
    if content_type:
        req.add_header("Content-Type", content_type)
    return urllib.request.urlopen(req, timeout=10)


def publish():
    offer = webrtc.get_property("local-description").sdp.as_text()
    try:
        with request("POST", url, offer.encode(), "application/sdp") as response:
            if response.status != 201:
                fail("WHIP answered %d" % response.status)
            session["location"] = urllib.parse.urljoin(url, response.headers["Location"])
            answer = response.read().decode()
    except urllib.error.HTTPError as e:
        fail("WHIP answered %d %s" % (e.code, e.read().decode()))
    _, sdp = GstSdp.SDPMessage.new_from_text(answer)
    webrtc.emit("set-remote-description",
                GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, sdp), Gst.Promise.new())
    print("published " + session["location"], flush=True)
    GLib.timeout_add_seconds(seconds, finish)


def finish():
    with request("DELETE", session["location"]) as response:
        print("deleted %d" % response.status, flush=True)
    loop.quit()
    return False


def on_gathering(element, _param):
    # Not trickling: the offer goes out once gathering is complete, candidates included (RFC 9725 4.3).
    if element.get_property("ice-gathering-state") == GstWebRTC.WebRTCICEGatheringState.COMPLETE and "sent" not in session:
        session["sent"] = True
        GLib.idle_add(publish)


def on_offer(promise, element, _):
    reply = promise.get_reply()  # the offer lives in this structure: keep it referenced while using the offer
    element.emit("set-local-description", reply.get_value("offer"), Gst.Promise.new())


def on_negotiation_needed(element):
    # Kept referenced for the same reason as the ice-agent: a dropped wrapper destroys the transceiver.
    session["transceiver"] = element.emit("get-transceiver", 0)
    session["transceiver"].set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
    element.emit("create-offer", None, Gst.Promise.new_with_change_func(on_offer, element, None))


webrtc.connect("on-negotiation-needed", on_negotiation_needed)
webrtc.connect("notify::ice-gathering-state", on_gathering)
pipeline.set_state(Gst.State.PLAYING)
GLib.timeout_add_seconds(seconds + 20, lambda: fail("timed out"))
loop.run()
pipeline.set_state(Gst.State.NULL)
