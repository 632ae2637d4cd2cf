import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

/** One file of an archive: a relative path with forward slashes, and its bytes. */
export interface ArchiveEntry {
  path: string;
  data: Buffer;
}

/** Archive times are whole seconds; both formats get the same one so the two packages hold identical files. */
export interface ArchiveOptions {
  mtime: Date;
}

/**
 * A gzip-compressed POSIX ustar archive: regular files (0644) and the directories leading to them (0755), owned by
 * uid/gid 0. Written by hand so the build needs neither a tar binary nor a dependency.
 */
export function tarGz(entries: readonly ArchiveEntry[], options: ArchiveOptions): Buffer {
  const blocks: Buffer[] = [];
  for (const dir of directoriesOf(entries)) blocks.push(tarHeader(`${dir}/`, 0, '5', 0o755, options.mtime));
  for (const entry of entries) {
    blocks.push(tarHeader(entry.path, entry.data.length, '0', 0o644, options.mtime), entry.data, Buffer.alloc(padTo512(entry.data.length)));
  }
  blocks.push(Buffer.alloc(1024)); // two empty blocks end the archive
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}

/** A zip archive (deflate), with directory entries, as Bitrix's module upload and `unzip` read it. */
export function zip(entries: readonly ArchiveEntry[], options: ArchiveOptions): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const { time, date } = dosTime(options.mtime);
  const all = [...directoriesOf(entries).map((d) => ({ path: `${d}/`, data: Buffer.alloc(0) })), ...entries];
  for (const entry of all) {
    const name = Buffer.from(entry.path, 'utf8');
    const isDir = entry.path.endsWith('/');
    const compressed = isDir ? entry.data : deflateRawSync(entry.data, { level: 9 });
    const method = isDir ? 0 : 8;
    const crc = crc32(entry.data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4); // version needed
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt16LE(method, 8);
    head.writeUInt16LE(time, 10);
    head.writeUInt16LE(date, 12);
    head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(compressed.length, 18);
    head.writeUInt32LE(entry.data.length, 22);
    head.writeUInt16LE(name.length, 26);
    head.writeUInt16LE(0, 28);
    local.push(head, name, compressed);

    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt16LE(time, 12);
    dir.writeUInt16LE(date, 14);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(compressed.length, 20);
    dir.writeUInt32LE(entry.data.length, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE((((isDir ? 0o40755 : 0o100644) << 16) | (isDir ? 0x10 : 0)) >>> 0, 38); // Unix mode + MS-DOS dir flag
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    offset += head.length + name.length + compressed.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(all.length, 8);
  end.writeUInt16LE(all.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, ...central, end]);
}

/** Every folder above the entries, parents first. */
function directoriesOf(entries: readonly ArchiveEntry[]): string[] {
  const dirs = new Set<string>();
  for (const { path } of entries) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort();
}

function tarHeader(path: string, size: number, type: '0' | '5', mode: number, mtime: Date): Buffer {
  const header = Buffer.alloc(512);
  const { name, prefix } = splitTarPath(path);
  header.write(name, 0, 100, 'utf8');
  header.write(octal(mode, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(size, 12), 124);
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136);
  header.fill(' ', 148, 156); // checksum is computed with its own field as spaces
  header.write(type, 156);
  header.write('ustar\u000000', 257, 8, 'binary');
  header.write('root', 265);
  header.write('root', 297);
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'binary');
  return header;
}

/** ustar keeps names up to 100 bytes, with up to 155 more in the prefix field, split at a slash. */
function splitTarPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.lastIndexOf('/', path.length - 2); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(name) <= 100 && Buffer.byteLength(prefix) <= 155) return { name, prefix };
  }
  throw new Error(`path too long for a tar archive: ${path}`);
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\u0000`;
}

function padTo512(size: number): number {
  return (512 - (size % 512)) % 512;
}

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
