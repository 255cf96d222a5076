import type { CommandIo } from '../command.ts';
import type { InstallProgress } from './run-electron-installer.ts';

const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(1);

function line(p: InstallProgress): string {
  const file = new URL(p.url).pathname.split('/').at(-1) ?? p.url;
  const amount = p.total ? `${megabytes(p.bytes)} / ${megabytes(p.total)} MB (${Math.floor((100 * p.bytes) / p.total)}%)` : `${megabytes(p.bytes)} MB`;
  return `downloading ${file} from ${new URL(p.url).host}: ${amount}, ${Math.round(p.seconds)} s`;
}

/**
 * Shows the installer's download: one line rewritten in place on a terminal, else a line per
 * tenth of the file (or per 10 MB when its size is unknown), so a log shows it moving too.
 */
export function downloadProgress(io: CommandIo): { show(p: InstallProgress): void; end(): void } {
  let shown = -1;
  let drawn = false;
  return {
    show(p) {
      if (io.interactive) {
        process.stderr.write(`\r${line(p).padEnd(process.stderr.columns ? process.stderr.columns - 1 : 0)}`);
        drawn = true;
        return;
      }
      const step = p.total ? Math.floor((10 * p.bytes) / p.total) : Math.floor(p.bytes / 10_000_000);
      if (step > shown) {
        shown = step;
        io.err(line(p));
      }
    },
    end() {
      if (drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}
