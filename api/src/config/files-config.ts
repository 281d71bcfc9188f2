import { z } from 'zod';
import { bool, positiveInt } from './env-values.js';

/** Issue 10, files: upload limit and the optional S3-compatible store (part of envSchema in env-schema.ts). */
const filesEnvSchema = z.object({
  MAX_UPLOAD_MB: positiveInt(2048),
  UPLOAD_TIMEOUT_MS: positiveInt(3 * 60 * 60 * 1000),
  S3_ENDPOINT: z.url().optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
});
export const filesEnv = filesEnvSchema.shape;
type FilesEnv = z.infer<typeof filesEnvSchema>;

/** Half a key pair would silently fall back to the SDK's default credentials. */
export const s3KeyPairRule = {
  check: (env: FilesEnv) => (env.S3_ACCESS_KEY_ID === undefined) === (env.S3_SECRET_ACCESS_KEY === undefined),
  path: ['S3_SECRET_ACCESS_KEY'],
  message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (set both, or neither to use the default AWS credential chain)',
};

/** Where S3 blobs go (see api/src/files/storage/s3-file-storage.ts). */
export interface S3StorageConfig {
  endpoint: string | undefined;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle: boolean;
}

/**
 * The largest upload, and the S3-compatible store new uploads go to when S3_BUCKET is set (otherwise
 * RSM_DATA_DIR/files). Without keys the SDK's default credential chain applies.
 */
export interface FilesConfig {
  maxUploadBytes: number;
  uploadTimeoutMs: number;
  s3: S3StorageConfig | undefined;
}

export function filesConfig(env: FilesEnv): FilesConfig {
  return {
    maxUploadBytes: env.MAX_UPLOAD_MB * 1024 * 1024,
    uploadTimeoutMs: env.UPLOAD_TIMEOUT_MS,
    s3: env.S3_BUCKET
      ? {
          endpoint: env.S3_ENDPOINT,
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
          credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
        }
      : undefined,
  };
}
