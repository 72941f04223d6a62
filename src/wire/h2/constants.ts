// RFC 9113 numbers: frame types, flags, settings and error codes, with the names the record and the CLI show.
import { toWireErrorCode, type WireErrorCode } from '../../shared/errorCodes';

export const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export const FRAME_HEADER_LENGTH = 9;

export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

const TYPE_NAMES = ['DATA', 'HEADERS', 'PRIORITY', 'RST_STREAM', 'SETTINGS', 'PUSH_PROMISE', 'PING', 'GOAWAY', 'WINDOW_UPDATE', 'CONTINUATION'];

export function frameTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `UNKNOWN(0x${type.toString(16).padStart(2, '0')})`;
}

export const Flag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

/** The names of the flags a frame type defines (unknown bits are shown as hex). */
export function flagNames(type: number, flags: number): string[] {
  const out: string[] = [];
  let known = 0;
  const add = (bit: number, name: string): void => {
    known |= bit;
    if (flags & bit) out.push(name);
  };
  switch (type) {
    case FrameType.DATA:
      add(0x1, 'END_STREAM');
      add(0x8, 'PADDED');
      break;
    case FrameType.HEADERS:
      add(0x1, 'END_STREAM');
      add(0x4, 'END_HEADERS');
      add(0x8, 'PADDED');
      add(0x20, 'PRIORITY');
      break;
    case FrameType.SETTINGS:
    case FrameType.PING:
      add(0x1, 'ACK');
      break;
    case FrameType.PUSH_PROMISE:
      add(0x4, 'END_HEADERS');
      add(0x8, 'PADDED');
      break;
    case FrameType.CONTINUATION:
      add(0x4, 'END_HEADERS');
      break;
    default:
      break;
  }
  const rest = flags & ~known;
  if (rest) out.push(`0x${rest.toString(16).padStart(2, '0')}`);
  return out;
}

export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
  ENABLE_CONNECT_PROTOCOL: 0x8,
  NO_RFC7540_PRIORITIES: 0x9,
} as const;

const SETTING_NAMES: Record<number, string> = {
  0x1: 'SETTINGS_HEADER_TABLE_SIZE',
  0x2: 'SETTINGS_ENABLE_PUSH',
  0x3: 'SETTINGS_MAX_CONCURRENT_STREAMS',
  0x4: 'SETTINGS_INITIAL_WINDOW_SIZE',
  0x5: 'SETTINGS_MAX_FRAME_SIZE',
  0x6: 'SETTINGS_MAX_HEADER_LIST_SIZE',
  0x8: 'SETTINGS_ENABLE_CONNECT_PROTOCOL',
  0x9: 'SETTINGS_NO_RFC7540_PRIORITIES',
};

export function settingName(id: number): string {
  return SETTING_NAMES[id] ?? `UNKNOWN_SETTING(0x${id.toString(16)})`;
}

const ERROR_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
] as const;

export type H2ErrorName = (typeof ERROR_NAMES)[number];

export const ErrorCode: Record<H2ErrorName, number> = Object.fromEntries(ERROR_NAMES.map((n, i) => [n, i])) as Record<H2ErrorName, number>;

export function errorName(code: number): string {
  return ERROR_NAMES[code] ?? `UNKNOWN_ERROR(0x${code.toString(16)})`;
}

/** The record's error code for an HTTP/2 error code: `H2_PROTOCOL_ERROR`, … (`H2_UNKNOWN_ERROR` beyond the table). */
export function errorCodeFor(code: number): WireErrorCode {
  const n = ERROR_NAMES[code];
  return n ? h2Code(n) : 'H2_UNKNOWN_ERROR';
}

/** `H2_<NAME>` for an error name (every name of RFC 9113 §7 has its entry in the error-code table). */
export function h2Code(name: H2ErrorName): WireErrorCode {
  return toWireErrorCode(`H2_${name}`, 'H2_UNKNOWN_ERROR');
}

export const DEFAULT_WINDOW = 65_535;
export const MAX_WINDOW = 2 ** 31 - 1;
export const MIN_MAX_FRAME_SIZE = 16_384;
export const MAX_MAX_FRAME_SIZE = 2 ** 24 - 1;
