// Status codes: the IANA HTTP Status Code Registry, plus codes seen in the wild that were never registered.
import type { StatusCode } from '../types';

type Entry = [code: number, name: string, description: string, clientAction: string, reference: string];

const S = (n: string): string => `RFC 9110, Section 15.${n}`;

const REGISTERED: Entry[] = [
  [100, 'Continue', 'The request head was received and the client may go on sending the body.', 'Send the request content, then wait for the final response.', S('2.1')],
  [101, 'Switching Protocols', 'The server agrees to switch this connection to the protocol named in Upgrade.', 'Speak the new protocol (e.g. WebSocket) on the same connection.', S('2.2')],
  [102, 'Processing', 'WebDAV: the server is still working on a long request (no longer in RFC 4918).', 'Keep waiting for the final response.', 'RFC 2518, Section 10.1'],
  [103, 'Early Hints', 'Interim response carrying headers (usually Link preload) before the final response.', 'Start preloading the linked resources; the final response follows.', 'RFC 8297, Section 2'],
  [104, 'Upload Resumption Supported', 'Interim response telling the client that an interrupted upload can be resumed (temporary registration).', 'Remember the upload URL in Location to resume if the upload breaks.', 'draft-ietf-httpbis-resumable-upload, https://datatracker.ietf.org/doc/draft-ietf-httpbis-resumable-upload/'],
  [200, 'OK', 'The request succeeded; what the content means depends on the method.', 'Use the response.', S('3.1')],
  [201, 'Created', 'A new resource was created, usually at the URI in Location.', 'Follow Location to reach the new resource.', S('3.2')],
  [202, 'Accepted', 'The request was accepted for processing, which has not finished (and may fail).', 'Check back later, often through a status URI in the response.', S('3.3')],
  [203, 'Non-Authoritative Information', 'Success, but a transforming proxy changed the origin\'s content.', 'Use the response, knowing it was modified in transit.', S('3.4')],
  [204, 'No Content', 'Success with no content to send; the response ends after the headers.', 'Stay on the current view; apply metadata such as ETag if given.', S('3.5')],
  [205, 'Reset Content', 'Success; the client should reset the document view (e.g. clear the form).', 'Reset the form or view that sent the request.', S('3.6')],
  [206, 'Partial Content', 'Only the requested range(s) of the representation are sent, described by Content-Range.', 'Combine the part with others you have, or request the rest.', S('3.7')],
  [207, 'Multi-Status', 'WebDAV: the XML body holds a separate status for each of several resources.', 'Read each status in the multistatus body.', 'RFC 4918, Section 11.1'],
  [208, 'Already Reported', 'WebDAV: members of this binding were already listed earlier in the same multistatus.', 'Do not expect them again in this response.', 'RFC 5842, Section 7.1'],
  [226, 'IM Used', 'The response is the result of instance manipulations (e.g. a delta) applied to the current instance.', 'Apply the delta to your stored copy.', 'RFC 3229, Section 10.4.1'],
  [300, 'Multiple Choices', 'Several representations are available; the server lets the client pick.', 'Choose one of the listed alternatives (or follow Location if given).', S('4.1')],
  [301, 'Moved Permanently', 'The resource has a new permanent URI, given in Location.', 'Follow Location and update links; clients may change POST to GET.', S('4.2')],
  [302, 'Found', 'The resource is temporarily at the URI in Location.', 'Follow Location for this request; clients may change POST to GET.', S('4.3')],
  [303, 'See Other', 'The answer is at another URI (Location), to be fetched with GET.', 'GET the URI in Location.', S('4.4')],
  [304, 'Not Modified', 'A conditional GET/HEAD found the stored copy is still current; there is no content.', 'Use your cached copy, updating it with these headers.', S('4.5')],
  [305, 'Use Proxy', 'Deprecated: asked the client to use the proxy in Location; ignored for security reasons.', 'Do not act on it.', S('4.6')],
  [306, '(Unused)', 'Reserved; was once "Switch Proxy" and is no longer used.', 'Treat as an unknown 3xx.', S('4.7')],
  [307, 'Temporary Redirect', 'Temporarily at the URI in Location; the method and body must not change.', 'Repeat the same request (same method and body) at Location.', S('4.8')],
  [308, 'Permanent Redirect', 'Moved permanently to Location; the method and body must not change.', 'Repeat the same request at Location and update links.', S('4.9')],
  [400, 'Bad Request', 'The server will not process the request because of a client error (bad syntax, framing, or content).', 'Fix the request before retrying.', S('5.1')],
  [401, 'Unauthorized', 'Valid credentials are missing or were rejected; WWW-Authenticate says how to authenticate.', 'Authenticate (or re-authenticate) and retry.', S('5.2')],
  [402, 'Payment Required', 'Reserved for future use; some APIs use it for billing problems.', 'Read the body for what the service means by it.', S('5.3')],
  [403, 'Forbidden', 'The server understood the request but refuses it; credentials would not help (or did not).', 'Do not retry with the same credentials.', S('5.4')],
  [404, 'Not Found', 'The server has no current representation for the target, or will not say it exists.', 'Check the URI.', S('5.5')],
  [405, 'Method Not Allowed', 'The method is not supported by the target; Allow lists those that are.', 'Use one of the methods in Allow.', S('5.6')],
  [406, 'Not Acceptable', 'No representation matches the Accept* headers of the request.', 'Relax Accept, Accept-Language or Accept-Encoding.', S('5.7')],
  [407, 'Proxy Authentication Required', 'A proxy requires authentication; Proxy-Authenticate says how.', 'Send Proxy-Authorization and retry.', S('5.8')],
  [408, 'Request Timeout', 'The server gave up waiting for the complete request.', 'Retry on a new connection.', S('5.9')],
  [409, 'Conflict', 'The request conflicts with the current state of the resource (e.g. edit conflict).', 'Resolve the conflict and resubmit.', S('5.10')],
  [410, 'Gone', 'The resource is permanently gone and no forwarding address is known.', 'Remove links to it.', S('5.11')],
  [411, 'Length Required', 'The server needs a Content-Length for this request.', 'Resend with Content-Length.', S('5.12')],
  [412, 'Precondition Failed', 'A condition in If-Match, If-Unmodified-Since or similar was false.', 'Refetch the resource and reapply the change.', S('5.13')],
  [413, 'Content Too Large', 'The request content is larger than the server will take.', 'Send less, or retry after the time in Retry-After if given.', S('5.14')],
  [414, 'URI Too Long', 'The target URI is longer than the server will interpret.', 'Move data from the query string into the body.', S('5.15')],
  [415, 'Unsupported Media Type', 'The content\'s media type or coding is not supported for this method and target.', 'Send a supported Content-Type or Content-Encoding (see Accept/Accept-Encoding/Accept-Patch).', S('5.16')],
  [416, 'Range Not Satisfiable', 'None of the requested ranges overlap the representation.', 'Check the length in Content-Range and ask for a valid range.', S('5.17')],
  [417, 'Expectation Failed', 'The Expect header could not be met.', 'Retry without Expect.', S('5.18')],
  [418, '(Unused)', 'Reserved: it became known as "I\'m a teapot" (RFC 2324, an April joke) and is kept out of use.', 'Treat as a generic 4xx.', S('5.19')],
  [421, 'Misdirected Request', 'The request reached a server that cannot answer for this scheme and authority (e.g. a reused connection).', 'Retry on a new connection.', S('5.20')],
  [422, 'Unprocessable Content', 'The content is well-formed but its instructions cannot be processed (validation failure).', 'Fix the content according to the error body.', S('5.21')],
  [423, 'Locked', 'WebDAV: the resource is locked.', 'Wait for the lock to be released or supply its token.', 'RFC 4918, Section 11.3'],
  [424, 'Failed Dependency', 'WebDAV: the method failed because another action it depended on failed.', 'Fix the failing part first.', 'RFC 4918, Section 11.4'],
  [425, 'Too Early', 'The server will not risk processing a request that might be replayed (TLS early data).', 'Retry after the handshake completes.', 'RFC 8470, Section 5.2'],
  [426, 'Upgrade Required', 'The server refuses to use the current protocol; Upgrade names the one it needs.', 'Retry with the protocol named in Upgrade.', S('5.22')],
  [428, 'Precondition Required', 'The server requires the request to be conditional (to prevent lost updates).', 'Retry with If-Match or If-Unmodified-Since.', 'RFC 6585, Section 3'],
  [429, 'Too Many Requests', 'Rate limit hit: too many requests in a given time.', 'Slow down; wait for Retry-After when given.', 'RFC 6585, Section 4'],
  [431, 'Request Header Fields Too Large', 'A header field, or all of them together, is too large.', 'Send fewer or smaller headers (often cookies).', 'RFC 6585, Section 5'],
  [451, 'Unavailable For Legal Reasons', 'Access is denied because of a legal demand.', 'A Link with rel="blocked-by" may name who blocked it.', 'RFC 7725, Section 3'],
  [500, 'Internal Server Error', 'The server hit an unexpected condition.', 'Retry later; report if persistent.', S('6.1')],
  [501, 'Not Implemented', 'The server does not support the functionality (often the method) needed.', 'Do not retry as is.', S('6.2')],
  [502, 'Bad Gateway', 'A gateway or proxy got an invalid response from the upstream server.', 'Retry later.', S('6.3')],
  [503, 'Service Unavailable', 'The server is temporarily overloaded or down for maintenance.', 'Retry after Retry-After, if given.', S('6.4')],
  [504, 'Gateway Timeout', 'A gateway or proxy did not get a timely response from upstream.', 'Retry later.', S('6.5')],
  [505, 'HTTP Version Not Supported', 'The server does not support the major HTTP version of the request.', 'Retry with a supported version.', S('6.6')],
  [506, 'Variant Also Negotiates', 'Transparent content negotiation is misconfigured (a variant negotiates too).', 'Report to the server operator.', 'RFC 2295, Section 8.1'],
  [507, 'Insufficient Storage', 'WebDAV: the server cannot store what is needed to complete the request.', 'Free space or send less.', 'RFC 4918, Section 11.5'],
  [508, 'Loop Detected', 'WebDAV: an infinite loop was found while processing (Depth: infinity).', 'Fix the bindings that loop.', 'RFC 5842, Section 7.2'],
  [510, 'Not Extended (OBSOLETED)', 'The request lacks an extension the server requires (RFC 2774, now historic).', 'Treat as a generic 5xx.', 'RFC 2774, Section 7; status changed by IANA to obsoleted'],
  [511, 'Network Authentication Required', 'A captive portal wants the client to authenticate to get network access.', 'Open the portal page (from the body) to log in.', 'RFC 6585, Section 6'],
];

type Unreg = [code: number, name: string, description: string, origin: string, reference: string];

const NGINX = 'nginx, https://nginx.org/en/docs/http/ngx_http_ssl_module.html#errors';
const CF = 'Cloudflare docs, https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/';
const AWS = 'AWS Elastic Load Balancing docs, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html';
const IIS = 'Microsoft IIS docs, https://learn.microsoft.com/troubleshoot/developer/webapps/iis/www-administration-management/http-status-code';

const UNREGISTERED: Unreg[] = [
  [218, 'This Is Fine', 'Apache error documents: an error occurred but ProxyErrorOverride passed the body through.', 'Apache httpd', 'Unregistered; Apache httpd'],
  [419, 'Page Expired', 'Laravel: the CSRF token was missing or expired.', 'Laravel', 'Laravel docs, https://laravel.com/docs/csrf'],
  [420, 'Enhance Your Calm', 'Old Twitter API rate limiting (now 429); Spring once used it for "Method Failure".', 'Twitter (historic)', 'Unregistered; Twitter API v1'],
  [430, 'Security Rejection (Shopify)', 'Shopify: a request rejected as potentially malicious; formerly used for too many requests.', 'Shopify', 'Unregistered; Shopify'],
  [440, 'Login Time-out', 'IIS: the client session expired and it must log in again.', 'Microsoft IIS', IIS],
  [444, 'No Response', 'nginx: close the connection without any response (used in logs; never seen by clients).', 'nginx', 'nginx, https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return'],
  [449, 'Retry With', 'IIS: the request lacks information; retry after doing what the server asks.', 'Microsoft IIS', IIS],
  [450, 'Blocked by Windows Parental Controls', 'Windows parental controls blocked the page.', 'Microsoft', 'Unregistered; Microsoft'],
  [460, 'Client Closed Connection (ELB)', 'AWS load balancer: the client closed the connection before the idle timeout.', 'AWS ELB', AWS],
  [463, 'Too Many Forwarded IPs (ELB)', 'AWS load balancer: X-Forwarded-For held more than 30 addresses.', 'AWS ELB', AWS],
  [464, 'Incompatible Protocol (ELB)', 'AWS load balancer: the request protocol does not match the target group protocol.', 'AWS ELB', AWS],
  [494, 'Request Header Too Large', 'nginx: the request headers exceeded its buffers (internal code; answers 400).', 'nginx', NGINX],
  [495, 'SSL Certificate Error', 'nginx: the client certificate failed verification.', 'nginx', NGINX],
  [496, 'SSL Certificate Required', 'nginx: a client certificate was required but not presented.', 'nginx', NGINX],
  [497, 'HTTP Request Sent to HTTPS Port', 'nginx: plain HTTP arrived on a TLS port.', 'nginx', NGINX],
  [498, 'Invalid Token', 'ArcGIS: the token is expired or invalid.', 'Esri ArcGIS', 'Unregistered; Esri ArcGIS'],
  [499, 'Client Closed Request', 'nginx: the client closed the connection before the server answered (logged, not sent).', 'nginx', 'Unregistered; nginx'],
  [509, 'Bandwidth Limit Exceeded', 'Hosting control panels: the site used up its bandwidth allowance.', 'Apache/cPanel', 'Unregistered; cPanel'],
  [520, 'Web Server Returned an Unknown Error', 'Cloudflare: the origin sent an empty or unexpected response.', 'Cloudflare', CF],
  [521, 'Web Server Is Down', 'Cloudflare: the origin refused the connection.', 'Cloudflare', CF],
  [522, 'Connection Timed Out', 'Cloudflare: the TCP connection to the origin timed out.', 'Cloudflare', CF],
  [523, 'Origin Is Unreachable', 'Cloudflare: no route to the origin (DNS or routing).', 'Cloudflare', CF],
  [524, 'A Timeout Occurred', 'Cloudflare: connected to the origin, but no HTTP response came in time.', 'Cloudflare', CF],
  [525, 'SSL Handshake Failed', 'Cloudflare: the TLS handshake with the origin failed.', 'Cloudflare', CF],
  [526, 'Invalid SSL Certificate', 'Cloudflare: the origin certificate could not be validated.', 'Cloudflare', CF],
  [527, 'Railgun Error', 'Cloudflare: the Railgun link to the origin failed (service retired).', 'Cloudflare', CF],
  [529, 'Site Is Overloaded', 'Qualys SSL Labs and others: the service is overloaded.', 'Qualys', 'Unregistered; Qualys SSL Labs API'],
  [530, 'Origin DNS Error / Site Frozen', 'Cloudflare: returned with a 1xxx error (e.g. origin DNS); Pantheon: site frozen.', 'Cloudflare, Pantheon', CF],
  [561, 'Unauthorized (ELB)', 'AWS load balancer: the identity provider rejected the user authentication.', 'AWS ELB', AWS],
  [598, 'Network Read Timeout Error', 'Some proxies: timed out reading from upstream.', 'Various proxies', 'Unregistered; informal convention'],
  [599, 'Network Connect Timeout Error', 'Some proxies and clients: timed out connecting upstream.', 'Various proxies', 'Unregistered; informal convention'],
];

export function statusClass(code: number): string {
  if (code >= 100 && code < 200) return 'informational';
  if (code < 300) return 'success';
  if (code < 400) return 'redirection';
  if (code < 500) return 'client-error';
  if (code < 600) return 'server-error';
  return 'unknown';
}

export const STATUS_TABLE: StatusCode[] = [
  ...REGISTERED.map(([code, name, description, clientAction, reference]): StatusCode => (
    { code, name, description, clientAction, reference, registered: true, class: statusClass(code) })),
  ...UNREGISTERED.map(([code, name, description, origin, reference]): StatusCode => (
    { code, name, description, reference, origin, registered: false, class: statusClass(code) })),
].sort((a, b) => a.code - b.code);
