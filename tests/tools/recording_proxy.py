#!/usr/bin/env python3
"""An HTTP/1.1 proxy for the LOCK tool's tests: forwards each request to the real
server, appends every request body to a log, and can cut the connection after the
first POST to a given path has been forwarded (the server processed it, the client
never hears back). Usage: recording_proxy.py UPSTREAM_PORT PORTFILE LOGFILE [CUT_PATH]"""
import http.client
import http.server
import sys
import threading

upstream_port, port_file, log_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cut_path = sys.argv[4] if len(sys.argv) > 4 else None
cut_done = threading.Event()


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def forward(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length) if length else b""
        with open(log_file, "ab") as log:
            log.write(b"=== " + self.command.encode() + b" " + self.path.encode() + b"\n" + body + b"\n")
        upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "host")}
        upstream.request(self.command, self.path, body=body, headers=headers)
        reply = upstream.getresponse()
        data = reply.read()
        if cut_path and self.path == cut_path and self.command == "POST" and not cut_done.is_set():
            cut_done.set()
            self.connection.close()  # processed upstream; the client sees a broken connection
            return
        self.send_response(reply.status)
        for k, v in reply.getheaders():
            if k.lower() not in ("connection", "content-length", "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    do_GET = forward
    do_POST = forward

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
