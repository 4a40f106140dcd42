"""SMTP servers on 127.0.0.1: a collector (aiosmtpd) and one that accepts and never answers."""

import asyncio
import email
import socket
import threading
from collections import Counter

from aiosmtpd.controller import Controller

from .serve import HOST
from .serve import free_port


class _Handler:
    def __init__(self, delay):
        self.delay = delay
        self.messages = []  # (recipients, subject)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            # A real relay takes some milliseconds per message; without it two senders
            # that start a second apart would hardly overlap.
            await asyncio.sleep(self.delay)
        msg = email.message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append((tuple(envelope.rcpt_tos), msg["Subject"] or ""))
        return "250 OK"


class Collector:
    """Receives mail and remembers (recipients, subject) of each message."""

    def __init__(self, delay=0.0):
        self.port = free_port()
        self.handler = _Handler(delay)
        self.controller = Controller(self.handler, hostname=HOST, port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def subjects(self):
        with self.handler.lock:
            return Counter(subject for _, subject in self.handler.messages)


class Hanging:
    """Accepts TCP connections and never says a word (a relay that has hung)."""

    def __init__(self):
        self.port = free_port()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((HOST, self.port))
        self.sock.listen(256)
        self.sock.settimeout(0.2)
        self.held = []
        self.accepted = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self.held.append(conn)  # kept open, never written to

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=2)
        for c in self.held:
            c.close()
        self.sock.close()
