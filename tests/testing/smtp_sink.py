#!/usr/bin/python3
"""A real SMTP server on loopback for the tests (Debian's python3-aiosmtpd).

It keeps every message it accepts as DIR/NNNN.eml (the bytes as received),
with DIR/NNNN.rcpt (the envelope recipients, one a line) and DIR/NNNN.tls
("yes" when the session had switched to TLS with STARTTLS). It prints
"PORT <n>" once it listens, and runs until killed.

  --tls-cert/--tls-key   offer STARTTLS with this certificate
  --reject PREFIX        answer 550 to recipients whose address starts with PREFIX
  --tempfail N           answer 451 to the first N messages (DATA)
  --hang                 never answer DATA (a server that stalls mid-delivery)
"""
import argparse
import asyncio
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory, reject, tempfail, hang):
        self.directory = directory
        self.reject = reject
        self.tempfail = tempfail
        self.hang = hang
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and address.startswith(self.reject):
            return '550 5.1.1 Mottagaren finns inte'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        if self.hang:
            await asyncio.sleep(3600)
        if self.tempfail > 0:
            self.tempfail -= 1
            return '451 4.3.0 Tillfälligt fel, försök igen senare'
        self.count += 1
        base = os.path.join(self.directory, '%04d' % self.count)
        with open(base + '.rcpt', 'w') as f:
            f.write('\n'.join(envelope.rcpt_tos) + '\n')
        with open(base + '.tls', 'w') as f:
            f.write('yes\n' if session.ssl is not None else 'no\n')
        # The .eml last, by rename: a test that sees it sees the others.
        with open(base + '.tmp', 'wb') as f:
            f.write(envelope.original_content)
        os.rename(base + '.tmp', base + '.eml')
        return '250 OK: meddelandet är mottaget'


async def main():
    p = argparse.ArgumentParser()
    p.add_argument('--dir', required=True)
    p.add_argument('--tls-cert')
    p.add_argument('--tls-key')
    p.add_argument('--reject')
    p.add_argument('--tempfail', type=int, default=0)
    p.add_argument('--hang', action='store_true')
    a = p.parse_args()
    handler = Sink(a.dir, a.reject, a.tempfail, a.hang)
    tls = None
    if a.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(a.tls_cert, a.tls_key)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, tls_context=tls, require_starttls=False, decode_data=False,
                     enable_SMTPUTF8=True, hostname='sink.test'),
        host='127.0.0.1', port=0)
    port = server.sockets[0].getsockname()[1]
    print('PORT %d' % port, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
