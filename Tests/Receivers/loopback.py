"""What every loopback receiver shares: an ephemeral port on 127.0.0.1 announced as `PORT <n>` on stdout,
threads for parallel clients, and an exit as soon as stdin closes, so a receiver never outlives its test."""
import os, sys, threading
from http.server import ThreadingHTTPServer


def serve(handler, backlog=128):
    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = backlog

        def handle_error(self, request, client_address):
            # A client that hangs up (a test's timeout, cancellation or reset step) is expected: no traceback.
            if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
                return
            super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), handler)
    print("PORT %d" % server.server_address[1], flush=True)

    def exit_when_parent_goes():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=exit_when_parent_goes, daemon=True).start()
    server.serve_forever()
