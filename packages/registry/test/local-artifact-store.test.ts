import { mkdir, readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalArtifactStore, RegistryErrorCode } from '../src';
import { readFolder, removeDir, tempDir, writeArtifactFolder } from './support/fixtures';

describe('LocalArtifactStore', () => {
  let work: string;
  let root: string;
  let store: LocalArtifactStore;

  beforeEach(async () => {
    work = await tempDir('local');
    root = path.join(work, 'store');
    store = new LocalArtifactStore(root);
  });

  afterEach(async () => {
    await removeDir(work);
  });

  it('round-trips a folder under root/key with a file:// URI', async () => {
    const source = path.join(work, 'source');
    const files = await writeArtifactFolder(source, 'a');
    const uri = await store.put(source, 'item-knn/v1-abcd1234');
    expect(uri).toBe(`file://${root}/item-knn/v1-abcd1234`);
    const dir = await store.fetch(uri, path.join(work, 'cache-unused'));
    expect(dir).toBe(fileURLToPath(uri));
    expect(await readFolder(dir, Object.keys(files))).toEqual(files);
    expect(await readdir(path.join(root, 'item-knn'))).toEqual(['v1-abcd1234']);
  });

  it('never overwrites a key, even when two puts race for it', async () => {
    const a = path.join(work, 'a');
    const b = path.join(work, 'b');
    const filesA = await writeArtifactFolder(a, 'a');
    const filesB = await writeArtifactFolder(b, 'bbbb');
    const results = await Promise.allSettled([store.put(a, 'm/v1-x'), store.put(b, 'm/v1-x')]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toMatchObject({ code: RegistryErrorCode.ARTIFACT_EXISTS });
    const stored = await readFolder(path.join(root, 'm', 'v1-x'), Object.keys(filesA));
    expect([filesA, filesB]).toContainEqual(stored);
    // No temporary siblings are left.
    expect(await readdir(path.join(root, 'm'))).toEqual(['v1-x']);
  });

  it('leaves nothing under the key (nor a temp folder) when the copy fails midway', async () => {
    const source = path.join(work, 'source');
    await writeArtifactFolder(source, 'a');
    // A socket cannot be copied: fs.cp fails after copying the regular files next to it.
    await mkdir(path.join(source, 'zz'), { recursive: true });
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(source, 'zz', 'sock'), resolve));
    try {
      await expect(store.put(source, 'm/v2-y')).rejects.toThrow();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(await readdir(path.join(root, 'm'))).toEqual([]);
  });

  it('deletes a folder; deleting again is a no-op; fetching it then is ARTIFACT_MISSING', async () => {
    const source = path.join(work, 'source');
    await writeArtifactFolder(source, 'a');
    const uri = await store.put(source, 'm/v3-z');
    await store.delete(uri);
    await store.delete(uri);
    expect(await readdir(path.join(root, 'm'))).toEqual([]);
    await expect(store.fetch(uri, work)).rejects.toMatchObject({ code: RegistryErrorCode.ARTIFACT_MISSING });
  });

  it('rejects keys that climb out of the root and URIs of other stores', async () => {
    const source = path.join(work, 'source');
    await writeArtifactFolder(source, 'a');
    for (const key of ['../escape', 'm/../../x', '/abs', 'm//v1', 'm/v 1']) {
      await expect(store.put(source, key)).rejects.toMatchObject({
        code: RegistryErrorCode.INVALID_ARTIFACT_KEY,
      });
    }
    await expect(store.fetch('s3://bucket/m/v1', work)).rejects.toMatchObject({
      code: RegistryErrorCode.INVALID_ARTIFACT_URI,
    });
    await expect(store.put(path.join(work, 'missing'), 'm/v4')).rejects.toMatchObject({
      code: RegistryErrorCode.ARTIFACT_MISSING,
    });
  });
});
