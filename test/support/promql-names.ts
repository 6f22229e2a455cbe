/**
 * The series names a PromQL expression reads: the expression without strings, label matchers,
 * ranges and grouping clauses, minus functions (a name before a parenthesis), keywords, recording
 * rules' outputs (names with a colon) and what Prometheus makes itself (`up`, `ALERTS`). Histogram
 * series (`_bucket`, `_sum`, `_count`) are named by their histogram. Hand-written because no
 * PromQL parser is published for Node; the expressions it reads are our own.
 */
export function seriesNamedIn(exprs: string[]): string[] {
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'up', 'ALERTS', 'le']);
  const names = exprs.flatMap((expr) => {
    const bare = expr
      .replace(/"(?:[^"\\]|\\.)*"/g, '')
      .replace(/\b(by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
      .replace(/\{[^}]*\}|\[[^\]]*\]/g, '');
    return [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)].filter((m) => !m[2]).map((m) => m[1]);
  });
  return [...new Set(names.filter((n) => !keywords.has(n) && !n.includes(':')).map((n) => n.replace(/_(bucket|sum|count)$/, '')))].sort();
}
