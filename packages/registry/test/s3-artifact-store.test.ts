import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createArtifactStore, DOWNLOAD_COMPLETE_MARKER, RegistryErrorCode, S3ArtifactStore } from '../src';
import { readFolder, removeDir, tempDir, writeArtifactFolder } from './support/fixtures';

const BUCKET = 'recsys-artifacts';

/** A real S3-protocol server (s3rver) in this process, on a free port, storing under a temp folder. */
describe('S3ArtifactStore against s3rver', () => {
  let work: string;
  let server: S3rver;
  let endpoint: string;
  let client: S3Client;
  let store: S3ArtifactStore;

  beforeAll(async () => {
    work = await tempDir('s3');
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: path.join(work, 's3rver'),
      configureBuckets: [{ name: BUCKET }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    store = new S3ArtifactStore({ bucket: BUCKET, prefix: '/team/models/', client });
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
    await removeDir(work);
  });

  async function objectKeys(prefix: string): Promise<string[]> {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (page.Contents ?? []).map((o) => o.Key ?? '').sort();
  }

  it('uploads every file under prefix/key/ and downloads them into cacheDir/<key>', async () => {
    const source = path.join(work, 'source-a');
    const files = await writeArtifactFolder(source, 'round-trip');
    const uri = await store.put(source, 'item-knn/v1-0a1b2c3d');
    expect(uri).toBe(`s3://${BUCKET}/team/models/item-knn/v1-0a1b2c3d`);
    expect(await objectKeys('team/models/item-knn/v1-0a1b2c3d/')).toEqual([
      'team/models/item-knn/v1-0a1b2c3d/extra/notes.txt',
      'team/models/item-knn/v1-0a1b2c3d/manifest.json',
      'team/models/item-knn/v1-0a1b2c3d/scores.bin',
    ]);
    const cache = path.join(work, 'cache-a');
    const dir = await store.fetch(uri, cache);
    expect(dir).toBe(path.join(cache, 'item-knn', 'v1-0a1b2c3d'));
    expect(await readFolder(dir, Object.keys(files))).toEqual(files);
    expect((await stat(path.join(dir, DOWNLOAD_COMPLETE_MARKER))).isFile()).toBe(true);
    // Only the finished folder is left in the cache (no partial download folders).
    expect(await readdir(path.join(cache, 'item-knn'))).toEqual(['v1-0a1b2c3d']);
  });

  it('uses a complete cached folder without downloading, and replaces an incomplete one', async () => {
    const source = path.join(work, 'source-b');
    const files = await writeArtifactFolder(source, 'cached');
    const uri = await store.put(source, 'ease/v7-cafe0001');
    const cache = path.join(work, 'cache-b');
    const dir = await store.fetch(uri, cache);

    // Complete: served from the cache even once the objects are gone.
    await store.delete(uri);
    expect(await store.fetch(uri, cache)).toBe(dir);

    // Incomplete (no marker, e.g. a crash mid-download by an older process): downloaded again.
    await store.put(source, 'ease/v7-cafe0001');
    await rm(path.join(dir, DOWNLOAD_COMPLETE_MARKER));
    await rm(path.join(dir, 'scores.bin'));
    const again = await store.fetch(uri, cache);
    expect(again).toBe(dir);
    expect(await readFolder(again, Object.keys(files))).toEqual(files);
  });

  it('downloads the same artifact concurrently into one complete folder', async () => {
    const source = path.join(work, 'source-c');
    const files = await writeArtifactFolder(source, 'concurrent');
    const uri = await store.put(source, 'als/v2-00000002');
    const cache = path.join(work, 'cache-c');
    const dirs = await Promise.all([
      store.fetch(uri, cache),
      store.fetch(uri, cache),
      store.fetch(uri, cache),
    ]);
    expect(new Set(dirs).size).toBe(1);
    expect(await readFolder(dirs[0], Object.keys(files))).toEqual(files);
    expect(await readdir(path.join(cache, 'als'))).toEqual(['v2-00000002']);
  });

  it('deletes every object under the key, and refuses to overwrite a key', async () => {
    const source = path.join(work, 'source-d');
    await writeArtifactFolder(source, 'delete');
    const uri = await store.put(source, 'svd/v3-dddddddd');
    await expect(store.put(source, 'svd/v3-dddddddd')).rejects.toMatchObject({
      code: RegistryErrorCode.ARTIFACT_EXISTS,
    });
    await store.delete(uri);
    expect(await objectKeys('team/models/svd/')).toEqual([]);
    await expect(store.fetch(uri, path.join(work, 'cache-d'))).rejects.toMatchObject({
      code: RegistryErrorCode.ARTIFACT_MISSING,
    });
  });

  it('refuses URIs outside its bucket and prefix', async () => {
    const cache = path.join(work, 'cache-e');
    for (const uri of [`s3://other/team/models/a/v1`, `s3://${BUCKET}/elsewhere/a/v1`, 'file:///tmp/a']) {
      await expect(store.fetch(uri, cache)).rejects.toMatchObject({
        code: RegistryErrorCode.INVALID_ARTIFACT_URI,
      });
    }
  });

  it('is what createArtifactStore builds from RECSYS_ARTIFACTS=s3://... and S3_* variables', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    // Credentials come from the SDK's default chain: here, its environment variables.
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    try {
      const fromEnv = createArtifactStore({
        RECSYS_ARTIFACTS: `s3://${BUCKET}/from-env`,
        S3_ENDPOINT: endpoint,
        S3_REGION: 'us-east-1',
        S3_FORCE_PATH_STYLE: 'true',
      });
      const source = path.join(work, 'source-f');
      const files = await writeArtifactFolder(source, 'env');
      const uri = await fromEnv.put(source, 'popularity/v1-eeeeeeee');
      expect(uri).toBe(`s3://${BUCKET}/from-env/popularity/v1-eeeeeeee`);
      const dir = await fromEnv.fetch(uri, path.join(work, 'cache-f'));
      expect(await readFolder(dir, Object.keys(files))).toEqual(files);
      await fromEnv.delete(uri);
      expect(await objectKeys('from-env/')).toEqual([]);
    } finally {
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });
});
