#!/usr/bin/env python3
"""How long a server keeps two kinds of slow client: one that connects and sends nothing, and one
that sends its WebSocket upgrade request one byte per second. The figures in server-config/*/README.md
("Slow and idle clients") come from it. Point it only at servers you run.

Usage: slow-clients.py HOST PORT PATH SECONDS     e.g. slow-clients.py 127.0.0.1 8080 /socketworks/echo 90
"""
import socket
import sys
import threading
import time

host, port, path, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
# Padded past 8 KiB so that no container has the whole request before the limit runs out.
request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
           "X-Pad: " + "a" * 8000 + "\r\n\r\n").encode()


def answer(s):
    """None while open and silent; else what ended it (an HTTP answer, or the close)."""
    s.setblocking(False)
    try:
        data = s.recv(4096)
        return "closed" if data == b"" else data.split(b"\r\n")[0].decode(errors="replace")
    except BlockingIOError:
        return None
    except OSError as e:
        return str(e)
    finally:
        s.setblocking(True)


def silent():
    s = socket.create_connection((host, port))
    start = time.time()
    while time.time() - start < limit:
        ended = answer(s)
        if ended:
            return f"sends nothing: ended after {time.time() - start:.1f} s ({ended})"
        time.sleep(0.5)
    return f"sends nothing: still open after {limit:.0f} s"


def byte_a_second():
    s = socket.create_connection((host, port))
    start = time.time()
    sent = 0
    while time.time() - start < limit:
        try:
            s.send(request[sent:sent + 1])
            sent += 1
        except OSError as e:
            return f"a byte a second: ended after {time.time() - start:.1f} s, {sent} bytes in ({e})"
        ended = answer(s)
        if ended:
            return f"a byte a second: ended after {time.time() - start:.1f} s, {sent} bytes in ({ended})"
        time.sleep(1)
    return f"a byte a second: still open after {limit:.0f} s, {sent} bytes in"


results = {}
probes = [threading.Thread(target=lambda f=f: results.__setitem__(f.__name__, f())) for f in (silent, byte_a_second)]
for probe in probes:
    probe.start()
for probe in probes:
    probe.join()
print(results["silent"])
print(results["byte_a_second"])
