// The CORS rule a public S3 bucket needs so that the catalogue's image viewer pages, served from another origin,
// can read its objects in the browser (Fetch §3.2 "CORS protocol"). In the shape of the S3 PutBucketCors
// request, which is also the JSON of `aws s3api put-bucket-cors --cors-configuration` (docs/image-viewer.md).
import type { CORSConfiguration } from '@aws-sdk/client-s3';

export const viewerCorsConfiguration = {
  CORSRules: [
    {
      // Any origin: the objects are public already; a site on another host (a mirror of the catalogue) reads them too.
      AllowedOrigins: ['*'],
      AllowedMethods: ['GET', 'HEAD'],
      // Readers ask for byte ranges of sharded Zarr v3 chunks (Zarr v3 sharding codec §"Binary shard format").
      AllowedHeaders: ['Range'],
      ExposeHeaders: ['Content-Length', 'Content-Range', 'ETag'],
      MaxAgeSeconds: 86400,
    },
  ],
} satisfies CORSConfiguration;

/**
 * The bucket policy of a public mirror: anyone may read and list (IAM policy grammar, AWS S3 "Bucket policy
 * examples"). Listing is what `aws s3 sync --no-sign-request` needs, and it makes a missing key a 404 rather than a
 * 403, which Zarr readers take for an absent optional file.
 */
export function publicReadPolicy(bucket: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] },
      { Effect: 'Allow', Principal: '*', Action: ['s3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`] },
    ],
  };
}
