#!/usr/bin/env python3
"""An RTSP server that accepts the session (OPTIONS, DESCRIBE, SETUP, PLAY) and then never sends a packet: the
frozen camera that stall watchdogs exist for.

    /usr/bin/python3 it-tests/tools/silent_rtsp_server.py --port 8555
"""
import argparse
import socket
import sys
import threading

SDP = (
    "v=0\r\n"
    "o=- 0 0 IN IP4 127.0.0.1\r\n"
    "s=silent\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\n"
    "m=video 0 RTP/AVP 96\r\n"
    "a=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAHtkDxWhAAAADAEAAAAwDxYuS,aMuMsg==\r\n"
    "a=control:track1\r\n"
)


def serve(conn):
    buffer = b""
    with conn:
        while True:
            data = conn.recv(4096)
            if not data:
                return
            buffer += data
            while b"\r\n\r\n" in buffer:
                request, buffer = buffer.split(b"\r\n\r\n", 1)
                lines = request.decode(errors="replace").split("\r\n")
                method = lines[0].split(" ")[0]
                headers = dict(l.split(":", 1) for l in lines[1:] if ":" in l)
                cseq = headers.get("CSeq", "0").strip()
                extra, body = "", ""
                if method == "OPTIONS":
                    extra = "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n"
                elif method == "DESCRIBE":
                    body = SDP
                    extra = "Content-Type: application/sdp\r\nContent-Length: %d\r\n" % len(body)
                elif method == "SETUP":
                    extra = "Session: 12345678;timeout=60\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n"
                elif method in ("PLAY", "GET_PARAMETER", "TEARDOWN"):
                    extra = "Session: 12345678\r\n"
                conn.sendall(("RTSP/1.0 200 OK\r\nCSeq: %s\r\n%s\r\n%s" % (cseq, extra, body)).encode())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8555)
    args = parser.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(16)
    print("RTSP ready at rtsp://127.0.0.1:%d/silent" % args.port, flush=True)
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
