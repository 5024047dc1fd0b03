import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpSmsSender } from './http-sms-sender.js';
import { SmsDeliveryFailedError } from '../domain/citizen.errors.js';

// Real HTTP on a loopback port: the sender is checked against a server, not a mocked fetch.
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function gateway(status: number, received: { body: unknown; type?: string }[], delayMs = 0): Promise<string> {
  server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      received.push({ body: JSON.parse(raw), type: req.headers['content-type'] });
      setTimeout(() => res.writeHead(status).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/sms`;
}

describe('HttpSmsSender', () => {
  it('POSTs the number and text as JSON', async () => {
    const received: { body: unknown; type?: string }[] = [];
    const url = await gateway(202, received);
    await new HttpSmsSender(url).send('09121234567', 'code 123456');
    expect(received).toEqual([{ body: { to: '09121234567', text: 'code 123456' }, type: 'application/json' }]);
  });

  it('fails with SmsDeliveryFailedError on a non-2xx answer', async () => {
    const url = await gateway(500, []);
    await expect(new HttpSmsSender(url).send('09121234567', 'x')).rejects.toBeInstanceOf(SmsDeliveryFailedError);
  });

  it('gives up after the timeout', async () => {
    const url = await gateway(200, [], 1000);
    await expect(new HttpSmsSender(url, 150).send('09121234567', 'x')).rejects.toBeInstanceOf(SmsDeliveryFailedError);
  });
});
