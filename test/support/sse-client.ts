import { get, type IncomingMessage } from 'node:http';

export interface SseEvent {
  type: string;
  data: string;
}

/** A minimal server-sent-events reader for tests: collects events until closed. */
export class SseClient {
  readonly events: SseEvent[] = [];
  private response: IncomingMessage | null = null;

  static async connect(url: string): Promise<SseClient> {
    const client = new SseClient();
    await new Promise<void>((resolve, reject) => {
      get(url, { headers: { Accept: 'text/event-stream' } }, (res) => {
        client.response = res;
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const field = (name: string) =>
              block
                .split('\n')
                .filter((l) => l.startsWith(`${name}:`))
                .map((l) => l.slice(name.length + 1).trimStart())
                .join('\n');
            client.events.push({ type: field('event') || 'message', data: field('data') });
          }
        });
        resolve();
      }).on('error', reject);
    });
    return client;
  }

  close(): void {
    this.response?.destroy();
  }
}
