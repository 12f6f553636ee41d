// Presigned GET URLs (AWS Signature Version 4, query-string authentication), so that a worker thread can fetch
// an object with plain HTTP and hash it without the SDK. Spec: AWS S3 API Reference, "Authenticating Requests:
// Using Query Parameters (AWS Signature Version 4)". Path-style URLs, as createS3Client uses for non-AWS stores.
import { createHash, createHmac } from 'node:crypto';

export interface PresignRequest {
  /** Endpoint, e.g. `http://127.0.0.1:7480` (path-style: the bucket goes in the path). */
  endpoint: { protocol: string; hostname: string; port?: number; path?: string };
  region: string;
  bucket: string;
  key: string;
  /** Absent or with an empty access key: the URL is returned unsigned (a public bucket). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Validity in seconds (default 3600; SigV4 allows at most 604 800). */
  expiresSeconds?: number;
  now?: Date;
}

/** RFC 3986 encoding as SigV4 requires: every byte but A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex). */
export function uriEncode(text: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch) || (keepSlash && ch === '/')) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

export function presignGetUrl(request: PresignRequest): string {
  const { endpoint } = request;
  const defaultPort = endpoint.protocol === 'https:' ? 443 : 80;
  const host =
    endpoint.port && endpoint.port !== defaultPort ? `${endpoint.hostname}:${endpoint.port}` : endpoint.hostname;
  const base = (endpoint.path ?? '/').replace(/\/+$/, '');
  // S3 paths are not normalised and each segment is encoded once (the spec's exception for S3).
  const path = `${base}/${uriEncode(request.bucket)}/${uriEncode(request.key, true)}`;
  const origin = `${endpoint.protocol}//${host}`;
  if (!request.credentials?.accessKeyId) return origin + path;

  const now = request.now ?? new Date();
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${request.region}/s3/aws4_request`;
  const query: Record<string, string> = {
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${request.credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(Math.min(604_800, request.expiresSeconds ?? 3600)),
    'X-Amz-SignedHeaders': 'host',
    ...(request.credentials.sessionToken ? { 'X-Amz-Security-Token': request.credentials.sessionToken } : {}),
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((name) => `${uriEncode(name)}=${uriEncode(query[name])}`)
    .join('&');
  // The payload is not known to the signer of a GET URL: UNSIGNED-PAYLOAD, as the spec prescribes.
  const canonicalRequest = ['GET', path, canonicalQuery, `host:${host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${request.credentials.secretAccessKey}`, day), request.region), 's3'),
    'aws4_request',
  );
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `${origin}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}
