import { constants } from 'node:fs';
import { access, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type PersistedState, persistedStateSchema } from './persisted-state.schema';
import { StateFileError } from './state-file-error';

/**
 * Reads the state file at start-up: null when it does not exist yet (first start); a
 * `StateFileError` naming the file when it cannot be read or is not a valid state. The file is
 * never touched here.
 */
export async function readStateFile(file: string): Promise<PersistedState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new StateFileError(`cannot read state file ${file}: ${code ?? (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StateFileError(`state file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const result = persistedStateSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new StateFileError(`state file ${file} is not a valid Loadex state: ${where}${issue.message}`);
  }
  return result.data;
}

/** A state file that does not exist yet must be creatable: its directory exists and is writable. */
export async function assertWritableDirectory(file: string): Promise<void> {
  try {
    await access(dirname(file), constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new StateFileError(`cannot create state file ${file}: its directory is not writable (${code})`);
  }
}

/**
 * Replaces `file` atomically: the content goes to a temporary file in the same directory, is
 * flushed to disk, then renamed over the old one (and the directory entry is flushed too), so a
 * crash leaves either the old state or the new one, never half of one.
 */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  try {
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } catch {
    // Not every file system can fsync a directory; the rename itself is atomic.
  } finally {
    await dirHandle.close();
  }
}
