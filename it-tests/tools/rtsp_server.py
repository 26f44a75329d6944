#!/usr/bin/env python3
"""A real RTSP server for Strix's tests: GStreamer's gst-rtsp-server streaming a moving H.264 test pattern.

    /usr/bin/python3 it-tests/tools/rtsp_server.py --port 8554 --path /cam --size 640x360 --fps 25 [--user u --password p]

Prints "RTSP ready at rtsp://127.0.0.1:PORT/PATH" once it serves. Debian packages: gir1.2-gst-rtsp-server-1.0
python3-gi gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly (x264enc, rtph264pay).
"""
import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--path", default="/cam")
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--fps", type=int, default=25)
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        "( videotestsrc is-live=true pattern=ball "
        f"! video/x-raw,width={width},height={height},framerate={args.fps}/1 "
        "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=%d bitrate=800 "
        "! rtph264pay name=pay0 pt=96 config-interval=1 )" % args.fps)
    factory.set_shared(True)
    if args.user:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role("user", "media.factory.access", True)
        permissions.add_permission_for_role("user", "media.factory.construct", True)
        factory.set_permissions(permissions)
    server.get_mount_points().add_factory(args.path, factory)
    if server.attach(None) == 0:
        print("cannot listen on port %d" % args.port, file=sys.stderr)
        return 1
    print("RTSP ready at rtsp://127.0.0.1:%d%s" % (args.port, args.path), flush=True)
    GLib.MainLoop().run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
