import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** Where evidence files live. Local disk by default; an object store can implement the same. */
export abstract class FileStorage {
  /** Stores the bytes under a content-addressed key and returns it (same bytes, same key). */
  abstract put(bytes: Buffer): Promise<{ key: string; sha256: string }>;
  abstract get(key: string): Promise<Buffer>;
}

/** Content-addressed files under STORAGE_DIR: `ab/cd/<sha256>`; written to a temp name, then renamed. */
export class LocalDiskStorage extends FileStorage {
  private readonly root: string;

  constructor(dir: string) {
    super();
    this.root = resolve(dir);
  }

  async put(bytes: Buffer): Promise<{ key: string; sha256: string }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
    const path = join(this.root, key);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    }
    return { key, sha256 };
  }

  get(key: string): Promise<Buffer> {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(key)) throw new Error('bad storage key');
    return readFile(join(this.root, key));
  }
}
