#!/usr/bin/env python3
"""A local SMTP sink for the notification tests: accepts every message on 127.0.0.1
and appends it to a file. Usage: smtp_sink.py PORTFILE OUTFILE (port chosen by the OS)."""
import socket
import sys
import threading


def serve(conn, out_path):
    f = conn.makefile("rwb")
    def say(line):
        f.write(line.encode() + b"\r\n")
        f.flush()
    say("220 sink ready")
    data_mode = False
    message = []
    for raw in f:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if data_mode:
            if line == ".":
                data_mode = False
                with open(out_path, "a", encoding="utf-8") as out:
                    out.write("\n".join(message) + "\n----END----\n")
                message = []
                say("250 queued")
            else:
                message.append(line[1:] if line.startswith("..") else line)
            continue
        verb = line[:4].upper()
        if verb in ("EHLO", "HELO"):
            say("250-sink\r\n250 8BITMIME")
        elif verb == "DATA":
            data_mode = True
            say("354 go ahead")
        elif verb == "QUIT":
            say("221 bye")
            break
        else:
            say("250 ok")
    conn.close()


def main():
    port_file, out_path = sys.argv[1], sys.argv[2]
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    with open(port_file, "w") as pf:
        pf.write(str(server.getsockname()[1]))
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn, out_path), daemon=True).start()


main()
