/**
 * `nats://` URIs and parameters: what is accepted, and errors that name the wrong part.
 */
import { describe, expect, it } from 'vitest';
import { sinkFromUri, sourceFromUri } from '../../../connectors/registry.ts';
import { natsSourceParams } from '../../../connectors/nats/nats-source-options.ts';
import { displayUri, parseNatsUri } from '../../../connectors/nats/nats-uri.ts';

const SOURCE = ['start', 'bounded', 'headers', 'rate'];

describe('nats:// URIs', () => {
  it('parses server, stream, subject, credentials and parameters, and hides credentials when shown', () => {
    const address = parseNatsUri('nats://alice:s%40cret@nats.example:4333/ORDERS/orders.*?start=seq:5&bounded=true', SOURCE);
    expect(address).toMatchObject({ server: 'nats.example:4333', user: 'alice', pass: 's@cret', stream: 'ORDERS', subject: 'orders.*' });
    expect(Object.fromEntries(address.params)).toEqual({ start: 'seq:5', bounded: 'true' });
    expect(displayUri(address)).toBe('nats://nats.example:4333/ORDERS/orders.*');
    expect(parseNatsUri('nats://tok@h/S', SOURCE)).toMatchObject({ server: 'h:4222', token: 'tok', stream: 'S', subject: undefined });
  });

  it.each([
    ['nats://host:4222', /names no stream/],
    ['nats://host/A.B/x', /not a valid stream name/],
    ['nats://host/S/a/b', /subject uses dots/],
    ['nats://host/S/a..b', /not a valid subject/],
    ['nats://host/S/a.>.b', /not a valid subject/],
    ['nats://host/S/x?speed=5', /unknown parameter "speed"/],
    ['nats://u:p@host/S/x?bogus=1', /^"nats:\/\/\*\*\*@host\/S\/x\?bogus=1"/],
  ])('refuses %s naming the problem', (uri, message) => {
    expect(() => parseNatsUri(uri, SOURCE)).toThrow(message);
  });

  it('reads start, bounded and headers, refusing values it does not know', () => {
    const params = (query: string) => natsSourceParams(parseNatsUri(`nats://h/S${query}`, SOURCE));
    expect(params('')).toEqual({ start: { kind: 'first' }, bounded: false, headersField: undefined, rate: undefined });
    expect(params('?rate=250').rate).toBe(250);
    expect(() => params('?rate=0')).toThrow(/rate= must be a positive integer/);
    expect(params('?start=last&bounded=true&headers=h')).toMatchObject({ start: { kind: 'last' }, bounded: true, headersField: 'h' });
    expect(params('?start=time:2026-01-02T03:04:05Z').start).toEqual({ kind: 'time', time: '2026-01-02T03:04:05Z' });
    expect(params('?start=time:2026-01-02T03:04:05.123456789%2B01:00').start).toEqual({ kind: 'time', time: '2026-01-02T03:04:05.123456789+01:00' });
    expect(() => params('?start=time:2026-01-02')).toThrow(/with a zone/);
    expect(() => params('?start=seq:0')).toThrow(/seq:N needs a positive integer/);
    expect(() => params('?start=time:yesterday')).toThrow(/ISO 8601/);
    expect(() => params('?start=middle')).toThrow(/first, last, seq:N or time:ISO/);
    expect(() => params('?bounded=yes')).toThrow(/bounded= must be true or false/);
  });

  it('is a source and a sink scheme of the registry, with errors naming the input or output', () => {
    expect(sourceFromUri('in', 'nats://127.0.0.1:4222/S/s.x?bounded=true')).toMatchObject({ kind: 'nats', bounded: true });
    expect(sinkFromUri('out', 'nats://127.0.0.1:4222/S/s.out')).toMatchObject({ kind: 'nats' });
    expect(() => sourceFromUri('in', 'nats://h/S?start=soon')).toThrow(/^input "in": \?start= must be/);
    expect(() => sinkFromUri('out', 'nats://h/S')).toThrow(/^output "out": .*names no subject/);
    expect(() => sinkFromUri('out', 'nats://h/S/a.*')).toThrow(/^output "out": cannot publish to the wildcard subject "a\.\*"/);
  });
});
