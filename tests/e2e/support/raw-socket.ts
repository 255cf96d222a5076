import { connect } from 'node:net';

/**
 * Writes exactly these bytes to the server and reads what comes back: the status line, or
 * 'dropped' when the server closes the connection without an answer. `hangUp` closes our side
 * after writing (an aborted request).
 */
export function rawExchange(port: number, chunks: (string | Buffer)[], options: { hangUp?: boolean; waitMs?: number } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const finish = () => {
      socket.destroy();
      resolve(received === '' ? 'dropped' : received.split('\r\n')[0]!);
    };
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (options.hangUp) finish();
    });
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      if (received.includes('\r\n')) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    setTimeout(finish, options.waitMs ?? 3_000);
  });
}
