import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(__dirname, '../..');

/**
 * A DynamoDB stand-in of the suite's own (`tools/local/dynamodb-cli.ts` as a child process), with
 * its data in a folder, so a test can stop it and start it again on the same port with the same data.
 */
export class DynamoDbProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  /** `port` 0 picks a free one; `endpoint` says which. */
  static async start(port: number, dataDir: string): Promise<DynamoDbProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/local/dynamodb-cli.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', EMULATOR_DYNAMODB_PORT: String(port), EMULATOR_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const endpoint = await new Promise<string>((ready, fail) => {
      child.once('exit', (code) => fail(new Error(`dynamodb-cli exited with ${code}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('QUOTEFLOW_DYNAMODB ')) ready((JSON.parse(line.slice('QUOTEFLOW_DYNAMODB '.length)) as { dynamodbEndpoint: string }).dynamodbEndpoint);
      });
    });
    return new DynamoDbProcess(child, endpoint);
  }

  get port(): number {
    return Number(new URL(this.endpoint).port);
  }

  /** Kills it outright (SIGKILL): an outage, not a shutdown. Its data folder stays as it was. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((stopped) => {
      this.child.once('exit', () => stopped());
      this.child.kill('SIGKILL');
    });
  }
}
