/**
 * Collects the calls made in one turn of the event loop and runs them as one batch on the next
 * (`setImmediate`, so every promise continuation of the turn has run first): the batch service
 * calls `store()` once per message, all in the same turn, and the writer writes the batch together.
 * `run` answers one result or error per input, in order.
 */
export class SameTurnBatch<I, O> {
  private pending: { input: I; resolve: (value: O) => void; reject: (err: Error) => void }[] = [];

  constructor(private readonly run: (inputs: I[]) => Promise<(O | Error)[]>) {}

  add(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (this.pending.push({ input, resolve, reject }) === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const calls = this.pending;
    this.pending = [];
    try {
      const results = await this.run(calls.map((c) => c.input));
      calls.forEach((call, i) => {
        const result = results[i];
        if (result instanceof Error) call.reject(result);
        else call.resolve(result);
      });
    } catch (err) {
      for (const call of calls) call.reject(err as Error);
    }
  }
}
