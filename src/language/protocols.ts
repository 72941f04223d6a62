// httpyac's other protocols, as its request lines name them (`GRPC url`, `SSE url`, `MQTT url`, `AMQP url`,
// `WS url`; or a bare `grpc://`, `mqtt://`, `amqp://`, `ws://` URL). Server-Sent Events map onto an HTTP GET and
// WebSocket onto Wire Lens' WebSocket blocks; the others are refused before anything is sent, by name.
import type { RequestLine } from './syntax';

export interface UnsupportedProtocol {
  /** The keyword as written, or the URL scheme in capitals. */
  keyword: string;
  /** What it is, in words. */
  label: string;
}

const UNSUPPORTED: Readonly<Record<string, string>> = {
  GRPC: 'gRPC',
  MQTT: 'MQTT',
  MQTTS: 'MQTT over TLS',
  AMQP: 'AMQP (RabbitMQ)',
  KAFKA: 'Kafka',
};

/** Schemes httpyac reads as its protocols when the request line is a bare URL. */
const SCHEMES: Readonly<Record<string, string>> = {
  grpc: 'GRPC',
  mqtt: 'MQTT',
  mqtts: 'MQTTS',
  amqp: 'AMQP',
  amqps: 'AMQP',
};

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The httpyac protocol a request line names that Wire Lens does not speak, or null. */
export function unsupportedProtocol(parsed: RequestLine): UnsupportedProtocol | null {
  if (parsed.methodWritten) return has(UNSUPPORTED, parsed.method) ? { keyword: parsed.method, label: UNSUPPORTED[parsed.method] } : null;
  const scheme = /^([a-z]+):\/\//i.exec(parsed.target)?.[1].toLowerCase();
  if (scheme === undefined || !has(SCHEMES, scheme)) return null;
  const keyword = SCHEMES[scheme];
  return { keyword, label: UNSUPPORTED[keyword] };
}

/** A line that starts such a request (so that a block of several can be told apart). */
export function isUnsupportedProtocolLine(line: string): boolean {
  return /^(?:GRPC|MQTTS?|AMQP|KAFKA)\s+\S/.test(line) || /^(?:grpc|mqtts?|amqps?):\/\/\S/i.test(line);
}

export function unsupportedMessage(p: UnsupportedProtocol): string {
  return `${p.keyword} requests (httpyac: ${p.label}) are not supported by Wire Lens; nothing is sent.`;
}

/** httpyac's Server-Sent Events keywords. */
export function isSseMethod(parsed: RequestLine): boolean {
  return parsed.methodWritten && (parsed.method === 'SSE' || parsed.method === 'EVENTSOURCE');
}

/** httpyac's `proto < ./file.proto` (the protobuf definitions of its gRPC requests). */
export function isProtoImport(line: string): boolean {
  return /^\s*proto\s+</.test(line);
}

export const PROTO_MESSAGE =
  'proto < file loads protobuf definitions for httpyac gRPC requests; gRPC is not supported by Wire Lens, so nothing that uses it is sent.';

/** httpyac script objects that send over a streaming connection (`$requestClient.send`, `websocketClient`…). */
export function sendsFromScript(code: string): boolean {
  return /\$requestClient\b|\bwebsocketClient\b|\bmqttClient\b|\bamqpChannel\b/.test(code);
}
