/**
 * The CloudWatch embedded-metric-format records written to stdout while `act` runs (Powertools
 * writes each flush as one JSON line with an `_aws` key).
 */
export async function emfRecords(act: () => unknown): Promise<Record<string, any>[]> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, any>);
}
