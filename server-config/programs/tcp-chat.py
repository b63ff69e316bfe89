#!/usr/bin/env python3
"""A line-based TCP chat server: every line a client sends goes to every connected client.

With the "chat" tcp route of server-config/routes.example.json, each WebSocket client of /run/chat
gets its own TCP connection here, so browsers chat with each other (and with `nc 127.0.0.1 7777`):
the websocketd talk's netcat chat. Listens on 127.0.0.1 only. Usage: tcp-chat.py [port]
"""
import socketserver
import sys
import threading

clients = set()
lock = threading.Lock()


class Member(socketserver.StreamRequestHandler):
    def handle(self):
        with lock:
            clients.add(self.wfile)
        try:
            for line in self.rfile:
                with lock:
                    for out in list(clients):
                        try:
                            out.write(line if line.endswith(b"\n") else line + b"\n")
                            out.flush()
                        except OSError:
                            clients.discard(out)
        finally:
            with lock:
                clients.discard(self.wfile)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 7777
    with Server(("127.0.0.1", port), Member) as server:
        print(f"chat on 127.0.0.1:{port}", flush=True)
        server.serve_forever()
